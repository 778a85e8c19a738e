import type {TeamTokenState} from "../dist/provider";
import {describeRequest, type Figure, ourProvider, withLocalApi} from "./support";

interface Step {
	operation: string;
	/** Fewest requests that do the job with the same guarantees, and why. */
	minimum: number;
	why: string;
	run: () => Promise<unknown>;
}

/** Figure 2: requests each operation sends, counted where they arrive. */
export async function requestsPerOperation(): Promise<Figure> {
	return withLocalApi({teams: 2}, async api => {
		const provider = ourProvider(api);
		const [legacyTeam, describedTeam] = api.teams as [string, string];
		// Inputs pass through check first, as the engine does; check itself sends nothing.
		const inputs = async (news: Record<string, unknown>) => (await provider.check({}, news)).inputs!;
		const created = async (news: Record<string, unknown>) => (await provider.create(await inputs(news))) as {id: string; outs: TeamTokenState};
		let legacy!: {id: string; outs: TeamTokenState};
		let described!: {id: string; outs: TeamTokenState};

		const steps: Step[] = [
			{operation: "create legacy (existing-token check)", minimum: 3,
				why: "GET to refuse revoking a token in use, POST, then GET to catch a concurrent POST that revoked ours",
				run: async () => { legacy = await created({teamId: legacyTeam}); }},
			{operation: "create legacy, forceRegenerate", minimum: 1, why: "POST",
				run: async () => { legacy = await created({teamId: legacyTeam, forceRegenerate: true}); }},
			{operation: "create described", minimum: 1, why: "POST",
				run: async () => { described = await created({teamId: describedTeam, description: "bench"}); }},
			{operation: "read legacy", minimum: 1, why: "GET",
				run: () => provider.read(legacy.id, legacy.outs as never)},
			{operation: "read described", minimum: 1, why: "GET",
				run: () => provider.read(described.id, described.outs as never)},
			{operation: "no-op diff", minimum: 0, why: "compares olds and news only",
				run: async () => provider.diff(legacy.id, legacy.outs as never, await inputs({teamId: legacyTeam, forceRegenerate: true}))},
			{operation: "delete legacy", minimum: 2,
				why: "GET to confirm the team's token is still the one in state, then DELETE by team; 1 if DELETE "
					+ "authentication-tokens/:id accepts legacy tokens, as the local API's does",
				run: () => provider.delete(legacy.id, legacy.outs as never)},
			{operation: "delete described", minimum: 1, why: "DELETE",
				run: () => provider.delete(described.id, described.outs as never)},
		];

		const measured = [];
		for (const step of steps) {
			api.clearRequests();
			await step.run();
			const calls = api.requests().map(describeRequest);
			measured.push({operation: step.operation, requests: calls.length, minimum: step.minimum, why: step.why, calls});
		}
		return {
			id: "2",
			title: "Requests per operation",
			rows: measured.map(m => ({
				measure: m.operation,
				value: `${m.requests} (min ${m.minimum})${m.calls.length ? `: ${m.calls.join(", ")}` : ""}`,
				goal: `= min`,
				met: m.requests === m.minimum,
			})),
			notes: [
				"2: counted at the local API (api.requests()), one operation at a time; paths below /api/v2 with ids replaced. "
					+ "Minimums: " + measured.map(m => `${m.operation}: ${m.minimum} (${m.why})`).join("; ") + ".",
			],
			data: {operations: measured},
		};
	});
}
