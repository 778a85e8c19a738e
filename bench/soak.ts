import type {TeamTokenState} from "../dist/provider";
import type {LocalApi} from "../dist/provider/local-api";
import {draw, errorMessage, type Figure, inPool, ourProvider, seconds, timed, withLocalApi} from "./support";

const OPERATIONS = 300;
const IN_FLIGHT = 10;
const SEED = 42;
const FAULTS = {failBefore: 0.1, failAfter: 0.05, seed: SEED};
const HTTP = {backoffBaseMs: 50};

/** `retrySafe`: sending again cannot leave anything behind, so a failure is the provider giving up too early. */
const KINDS = {
	"create legacy forced": {retrySafe: true, needsToken: false},
	"create legacy with check": {retrySafe: true, needsToken: false},
	"create described": {retrySafe: false, needsToken: false},
	read: {retrySafe: true, needsToken: true},
	delete: {retrySafe: true, needsToken: true},
	"no-op diff": {retrySafe: true, needsToken: true},
} as const;
type Kind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as Kind[];

interface Resource {
	id: string;
	outs: TeamTokenState;
}

interface Operation {
	kind: Kind;
	teamId: string;
	/** The inputs the program declares for this resource. */
	inputs: Record<string, unknown>;
}

type Provider = ReturnType<typeof ourProvider>;

/** A seeded mix; every operation gets a team of its own, so no two operations touch the same token. */
function plan(api: LocalApi): Operation[] {
	return Array.from({length: OPERATIONS}, (_, index) => {
		const kind = KIND_NAMES[Math.floor(draw(SEED, index) * KIND_NAMES.length)]!;
		const teamId = api.addTeam();
		// Operations on an existing token alternate, by a second draw, between legacy and described tokens.
		const described = kind === "create described" || (KINDS[kind].needsToken && draw(SEED + 1, index) < 0.5);
		const inputs: Record<string, unknown> = described
			? {teamId, description: `soak-${index}`}
			: {teamId, ...(kind === "create legacy with check" ? {} : {forceRegenerate: true})};
		return {kind, teamId, inputs};
	});
}

/**
 * One operation, updating `state` as the engine would: a create that succeeds records its outputs, a delete that
 * succeeds forgets the resource, a read replaces the outputs (or, answering no id, drops the resource).
 */
async function perform(provider: Provider, operation: Operation, key: number, state: Map<number, Resource>): Promise<void> {
	const news = (await provider.check({}, operation.inputs)).inputs!;
	const current = state.get(key);
	switch (operation.kind) {
		case "create legacy forced":
		case "create legacy with check":
		case "create described": {
			const created = await provider.create(news);
			state.set(key, {id: created.id!, outs: created.outs as TeamTokenState});
			return;
		}
		case "read": {
			const read = await provider.read(current!.id, current!.outs as never);
			if (!read.id) {
				state.delete(key);
				throw new Error("read dropped a resource whose token exists");
			}
			state.set(key, {id: read.id, outs: read.props as TeamTokenState});
			return;
		}
		case "delete":
			await provider.delete(current!.id, current!.outs as never);
			state.delete(key);
			return;
		case "no-op diff": {
			const diff = await provider.diff(current!.id, current!.outs as never, news);
			if (diff.changes) throw new Error(`no-op diff reported changes: ${diff.replaces?.join(", ")}`);
			return;
		}
	}
}

/** Figure 4: a seeded mix of operations against an API that fails 10% of requests before and 5% after acting. */
export async function faultSoak(): Promise<Figure> {
	return withLocalApi({teams: 0}, async api => {
		const operations = plan(api);
		const state = new Map<number, Resource>();
		const warnings: string[] = [];
		const provider = ourProvider(api, HTTP, message => warnings.push(message));

		// Resources the mix reads, deletes or diffs exist before the faults start, as if an earlier `up` made them.
		const existing = operations.flatMap((operation, key) => KINDS[operation.kind].needsToken ? [[operation, key] as const] : []);
		await inPool(existing, IN_FLIGHT, async ([operation, key]) => {
			const created = await provider.create((await provider.check({}, operation.inputs)).inputs!);
			state.set(key, {id: created.id!, outs: created.outs as TeamTokenState});
		});

		api.setFaults(FAULTS);
		api.clearRequests();
		const {value: settled, ms} = await timed(() => inPool(operations, IN_FLIGHT, (operation, key) => perform(provider, operation, key, state)));
		api.setFaults({});

		const failures = settled.flatMap((result, key) => result.status === "rejected" ? [{kind: operations[key]!.kind, reason: result.reason}] : []);
		const retrySafeFailures = failures.filter(f => KINDS[f.kind].retrySafe);
		const describedFailures = failures.filter(f => !KINDS[f.kind].retrySafe);
		const statusOf = (reason: unknown) => (reason as {status?: number}).status;
		const known = new Set([...state.values()].map(r => r.outs.tokenId));
		const onApi = api.tokens();
		const orphans = onApi.filter(token => !known.has(token.id));
		const onApiIds = new Set(onApi.map(token => token.id));
		const requests = api.requests();

		const data = {
			operations: OPERATIONS,
			inFlight: IN_FLIGHT,
			faults: FAULTS,
			http: HTTP,
			mix: Object.fromEntries(KIND_NAMES.map(kind => [kind, operations.filter(o => o.kind === kind).length])),
			wallMs: Math.round(ms),
			requests: requests.length,
			injectedBefore: requests.filter(r => r.fault === "before").length,
			injectedAfter: requests.filter(r => r.fault === "after").length,
			retrySafeFailures: retrySafeFailures.length,
			retrySafeFailureMessages: retrySafeFailures.slice(0, 3).map(f => `${f.kind}: ${errorMessage(f.reason)}`),
			orphanTokens: orphans.length,
			orphanKinds: Object.fromEntries(["legacy", "described"].map(kind => [kind, orphans.filter(o => o.kind === kind).length])),
			stateWithoutToken: [...state.values()].filter(r => !onApiIds.has(r.outs.tokenId)).length,
			describedCreateFailures: describedFailures.length,
			describedFailuresBeforeEffect: describedFailures.filter(f => statusOf(f.reason) === 503).length,
			describedFailuresAfterEffect: describedFailures.filter(f => [500, 502].includes(statusOf(f.reason) ?? 0)).length,
			// A lost answer is the case that can leave a token behind, so its message is the one worth showing.
			describedFailureExample: [...describedFailures].sort((a, b) => Number(statusOf(b.reason) !== 503) - Number(statusOf(a.reason) !== 503))
				.map(f => errorMessage(f.reason))[0],
			warnings: warnings.length,
		};
		return {
			id: "4",
			title: "Fault soak",
			rows: [
				{measure: "soak: failures where a retry was safe", value: `${data.retrySafeFailures}`, goal: "0", met: data.retrySafeFailures === 0},
				{
					measure: "soak: tokens on the API that no state knows of",
					value: `${data.orphanTokens} (legacy ${data.orphanKinds.legacy}, described ${data.orphanKinds.described}); state entries without a token: ${data.stateWithoutToken}`,
					goal: "0",
					met: data.orphanTokens === 0,
				},
				{
					// Each sends up to 5 POSTs and looks the token up after every failed one, so failing is giving up early.
					measure: "soak: described creates failed",
					value: `${data.describedCreateFailures} of ${data.mix["create described"]} (${data.describedFailuresBeforeEffect} x 503 before acting, `
						+ `${data.describedFailuresAfterEffect} x 500/502 after acting)`,
					goal: "0",
					met: data.describedCreateFailures === 0,
				},
				{
					measure: "soak: wall time",
					value: `${seconds(data.wallMs)} for ${OPERATIONS} ops; ${data.requests} requests, ${data.injectedBefore} + ${data.injectedAfter} faults injected (before + after)`,
				},
			],
			notes: [
				`4: ${OPERATIONS} operations, ${IN_FLIGHT} in flight, mix seeded ${SEED}: `
					+ Object.entries(data.mix).map(([kind, count]) => `${count} ${kind}`).join(", ")
					+ `; faults failBefore ${FAULTS.failBefore}, failAfter ${FAULTS.failAfter}, seed ${FAULTS.seed} (which requests fail also depends on `
					+ `arrival order, so it varies a little between runs); default HTTP options except backoffBaseMs ${HTTP.backoffBaseMs} to keep the run short.`,
				...(data.describedFailureExample ? [`4: a described create's error: ${data.describedFailureExample}`] : []),
				...data.retrySafeFailureMessages.map(message => `4: retry-safe failure: ${message}`),
			],
			data,
		};
	});
}
