/**
 * The `jti`s of JWTs accepted so far, each until its `exp`: Pulumi issues a `jti` "to prevent replay", so a
 * captured request sent again is refused while its JWT would still verify. Kept in the process: adapters behind a
 * load balancer each keep their own (docs/esc.md says so).
 */
export class ReplayCache {
	private readonly seen = new Map<string, number>();
	private nextPruneMs = 0;

	constructor(private readonly pruneEveryMs = 30_000) {}

	/** Records `jti` until `expiresAtMs`; false when it was recorded already and has not expired. */
	accept(jti: string, expiresAtMs: number, nowMs: number): boolean {
		if (nowMs >= this.nextPruneMs) {
			for (const [id, until] of this.seen) {
				if (until < nowMs) this.seen.delete(id);
			}
			this.nextPruneMs = nowMs + this.pruneEveryMs;
		}
		const until = this.seen.get(jti);
		if (until !== undefined && until >= nowMs) {
			return false;
		}
		this.seen.set(jti, expiresAtMs);
		return true;
	}
}
