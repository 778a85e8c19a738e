/**
 * This process's writes to owners' tokens (creates, regenerations, revocations), in order, so that a listing knows
 * which of its owners it may answer for: none whose write ended after the listing began, or is still under way,
 * since the list may show such an owner's tokens either way. Keys name the owners: a team id, an agent pool, a user.
 */
export class WriteLedger {
	private seq = 0;
	/** Per owner: writes in flight, and the point in the order at which the last one ended. */
	private readonly writes = new Map<string, {pending: number; endedSeq: number}>();

	/** The point in the order a listing that begins now holds. */
	mark(): number {
		return ++this.seq;
	}

	/** Runs a write to these owners' tokens, in the order. */
	async writing<T>(keys: readonly string[], action: () => Promise<T>): Promise<T> {
		for (const key of keys) {
			const write = this.writes.get(key) ?? {pending: 0, endedSeq: 0};
			write.pending++;
			this.writes.set(key, write);
		}
		this.seq++;
		try {
			return await action();
		} finally {
			const ended = ++this.seq;
			for (const key of keys) {
				const write = this.writes.get(key)!;
				write.pending--;
				write.endedSeq = ended;
			}
		}
	}

	/** Whether no write to the owner's tokens has ended since `mark`, nor is under way. */
	unwrittenSince(key: string, mark: number): boolean {
		const write = this.writes.get(key);
		return write === undefined || (write.pending === 0 && write.endedSeq < mark);
	}
}
