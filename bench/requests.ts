import type {TokenState} from "../dist/provider";
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
	return withLocalApi({teams: 2, agentPools: 1}, async api => {
		const provider = ourProvider(api);
		const [legacyTeam, describedTeam] = api.teams as [string, string];
		const organization = api.organization;
		const agentPoolId = api.agentPools[0]!;
		// Inputs pass through check first, as the engine does; check sends nothing for team and agent tokens, and
		// reads an organization's TTL policy once per organization (its own step below).
		const inputs = async (news: Record<string, unknown>) => (await provider.check({}, news)).inputs!;
		type Created = {id: string; outs: TokenState};
		const created = async (news: Record<string, unknown>) => (await provider.create(await inputs(news))) as Created;
		let legacy!: Created;
		let described!: Created;
		let org!: Created;
		let audit!: Created;
		let agent!: Created;
		const single = "GET to refuse revoking a token in use, POST, then GET to catch a concurrent POST that revoked ours";
		const guardedDelete = "GET to confirm the token is still the one in state, then DELETE by owner";

		const steps: Step[] = [
			{operation: "create legacy (existing-token check)", minimum: 3,
				why: single,
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
			{operation: "delete legacy", minimum: 1,
				why: "DELETE authentication-tokens/:id of the token in state, which a token made since cannot match; "
					+ "on a 404 there, a GET of the team's token and a DELETE by team only if it is still the same one",
				run: () => provider.delete(legacy.id, legacy.outs as never)},
			{operation: "delete described", minimum: 1, why: "DELETE",
				run: () => provider.delete(described.id, described.outs as never)},
			{operation: "check organization or audit-trail token (first of the organization)", minimum: 1,
				why: "GET token-ttl-policies, cached for the rest of the run (a 404 here: no policies API)",
				run: () => inputs({kind: "organization", organization})},
			{operation: "create organization (existing-token check)", minimum: 3, why: single,
				run: async () => { org = await created({kind: "organization", organization}); }},
			{operation: "create organization, forceRegenerate", minimum: 1, why: "POST",
				run: async () => { org = await created({kind: "organization", organization, forceRegenerate: true}); }},
			{operation: "create audit trail (existing-token check)", minimum: 3, why: single,
				run: async () => { audit = await created({kind: "audit-trail", organization}); }},
			{operation: "create agent", minimum: 1, why: "POST",
				run: async () => { agent = await created({kind: "agent", agentPoolId, description: "bench"}); }},
			{operation: "read organization", minimum: 1, why: "GET",
				run: () => provider.read(org.id, org.outs as never)},
			{operation: "read audit trail", minimum: 1, why: "GET",
				run: () => provider.read(audit.id, audit.outs as never)},
			{operation: "read agent", minimum: 1, why: "GET",
				run: () => provider.read(agent.id, agent.outs as never)},
			{operation: "delete organization", minimum: 2, why: guardedDelete,
				run: () => provider.delete(org.id, org.outs as never)},
			{operation: "delete audit trail", minimum: 2, why: guardedDelete,
				run: () => provider.delete(audit.id, audit.outs as never)},
			{operation: "delete agent", minimum: 1, why: "DELETE by id",
				run: () => provider.delete(agent.id, agent.outs as never)},
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
				"2: counted at the local API (api.requests()), one operation at a time; paths below /api/v2 with ids replaced "
					+ "(the audit-trail token's requests carry ?token=audit-trails, which the request log leaves out). "
					+ "Minimums: " + measured.map(m => `${m.operation}: ${m.minimum} (${m.why})`).join("; ") + ".",
			],
			data: {operations: measured},
		};
	});
}
