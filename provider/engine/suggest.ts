/** Edit distance (insertions, deletions, substitutions), case-insensitive: what a typo costs. */
function distance(a: string, b: string): number {
	const x = a.toLowerCase();
	const y = b.toLowerCase();
	let previous = Array.from({length: y.length + 1}, (_, i) => i);
	for (let i = 1; i <= x.length; i++) {
		const current = [i];
		for (let j = 1; j <= y.length; j++) {
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
		}
		previous = current;
	}
	return previous[y.length]!;
}

/**
 * The candidate `name` was most likely meant as, or undefined when none is close: within a third of the
 * candidate's length, so `expiresInDay` finds `expiresInDays` but `color` finds nothing.
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
	let best: {candidate: string; cost: number} | undefined;
	for (const candidate of candidates) {
		const cost = distance(name, candidate);
		if (cost <= Math.ceil(candidate.length / 3) && (best === undefined || cost < best.cost)) {
			best = {candidate, cost};
		}
	}
	return best?.candidate;
}
