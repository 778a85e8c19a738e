import {randomUUID} from "node:crypto";
import {createServer} from "node:http";
import type {AddressInfo} from "node:net";
import {performance} from "node:perf_hooks";
import {createEscAdapter, parsePolicy} from "../dist/provider/esc";
import {bodyHash} from "../dist/provider/esc/jwt";
import type {LocalApi} from "../dist/provider/local-api";
import {type Figure, inPool, median, progress, type Row, seconds, withLocalApi} from "./support";

const OPENS = 200;
const IN_FLIGHT = 10;
/** Turns each side of the comparison takes (OPENS is a multiple). */
const ROUNDS = 4;
const BURST = 100;
const RATE_LIMIT = 30;
const PUBLIC_URL = "https://esc-adapter.example.com";
const TEAM = "team-bench1";
/** Goals: an open costs the adapter's checks on top of one create; throughput stays within a factor of the floor. */
const GOAL_MEDIAN_OVER_FLOOR_MS = 10;
const GOAL_THROUGHPUT_RATIO = 0.5;
const GOAL_BURST_RATIO = 1.3;

function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * The adapter served on loopback plain HTTP (TLS is the same for both sides of the comparison and is left out),
 * and a caller that signs each open's JWT beforehand, as Pulumi Cloud would, so signing is not counted.
 */
interface Caller {
	/** Signs `count` JWTs ahead, as Pulumi Cloud signs them: the caller's cost is not the adapter's. */
	presign(count: number): Promise<void>;
	open(): Promise<{status: number; ms: number}>;
}

async function withAdapter<T>(api: LocalApi, action: (caller: Caller) => Promise<T>): Promise<T> {
	const jose = await import("jose");
	const {privateKey, publicKey} = await jose.generateKeyPair("RS256", {extractable: true});
	const jwk = {...await jose.exportJWK(publicKey), kid: "bench", alg: "RS256"};
	const adapter = createEscAdapter({
		policy: parsePolicy(`grants: [{pulumiOrganization: bench, environments: ["**"], teams: [${TEAM}], maxTtl: 1h}]`),
		publicUrl: PUBLIC_URL,
		tfe: {baseUrl: api.url, hostname: new URL(api.url).host, token: api.adminToken, tokenSource: "bench", sslSkipVerify: false, namespace: "tfe"},
		jwks: {keys: [jwk]},
		log: () => {},
		sweepIntervalMs: 0,
	});
	const server = createServer(adapter.node);
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/open`;
	const body = new TextEncoder().encode(JSON.stringify({team: TEAM, ttl: "15m"}));
	const sign = () => {
		const iat = Math.floor(Date.now() / 1000);
		return new jose.SignJWT({
			iss: "https://api.pulumi.com", aud: `${PUBLIC_URL}/open`, iat, exp: iat + 300, jti: randomUUID(), org: "bench",
			sub: "pulumi:environments:org:bench:env:ci/bench", trigger_user: "bench", body_hash: bodyHash(body),
		}).setProtectedHeader({alg: "RS256", kid: "bench"}).sign(privateKey);
	};
	const open = async (jwt: string) => {
		const started = performance.now();
		const response = await fetch(url, {method: "POST", headers: {authorization: `Bearer ${jwt}`, "content-type": "application/json"}, body});
		await response.arrayBuffer();
		return {status: response.status, ms: performance.now() - started};
	};
	const jwts: string[] = [];
	try {
		return await action({
			presign: async count => void jwts.push(...await Promise.all(Array.from({length: count}, sign))),
			open: async () => open(jwts.pop() ?? await sign()),
		});
	} finally {
		adapter.close();
		server.closeAllConnections();
		server.close();
	}
}

type Send = (index: number) => Promise<{status: number; ms: number}>;

/** The same create as an open's, sent by `fetch` to `url`, timed to the end of the answer. */
async function create(url: string, index: number, authorization?: string): Promise<{status: number; ms: number}> {
	const started = performance.now();
	const response = await fetch(url, {
		method: "POST",
		headers: {...(authorization ? {authorization} : {}), "content-type": "application/vnd.api+json"},
		body: JSON.stringify({data: {type: "authentication-tokens", attributes: {description: `floor ${index} ${randomUUID()}`, "expired-at": new Date(Date.now() + 900_000).toISOString()}}}),
	});
	await response.arrayBuffer();
	return {status: response.status, ms: performance.now() - started};
}

/**
 * The floors. Direct: the create sent straight to the local API, one HTTP round trip. Hop: the same create through
 * a plain Node http server in this process that reads the body and forwards it with `fetch`, answering what the API
 * answered; that is the least any adapter does (a server, a second client request), and what the goals compare with.
 */
async function withFloors<T>(api: LocalApi, action: (floors: {direct: Send; hop: Send}) => Promise<T>): Promise<T> {
	const createUrl = `${api.url}/api/v2/teams/${TEAM}/authentication-tokens`;
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on("data", (chunk: Buffer) => chunks.push(chunk));
		req.on("end", () => void (async () => {
			const response = await fetch(createUrl, {
				method: "POST",
				headers: {authorization: `Bearer ${api.adminToken}`, "content-type": "application/vnd.api+json"},
				body: Buffer.concat(chunks),
			});
			const payload = Buffer.from(await response.arrayBuffer());
			res.writeHead(response.status, {"content-type": "application/json", "content-length": payload.byteLength});
			res.end(payload);
		})().catch(() => res.writeHead(502).end()));
	});
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	const hopUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	try {
		return await action({direct: i => create(createUrl, i, `Bearer ${api.adminToken}`), hop: i => create(hopUrl, i)});
	} finally {
		server.closeAllConnections();
		server.close();
	}
}

interface Timed {
	ms: number[];
	failed: number;
	wallMs: number;
}

async function timed(count: number, inFlight: number, once: Send, first = 0): Promise<Timed> {
	const started = performance.now();
	const results = await inPool(Array.from({length: count}, (_, i) => first + i), inFlight, once);
	const wallMs = performance.now() - started;
	const ms = results.flatMap(result => (result.status === "fulfilled" && result.value.status < 300 ? [result.value.ms] : []));
	return {ms, failed: count - ms.length, wallMs};
}

function stats(count: number, inFlight: number, {ms, failed, wallMs}: Timed) {
	return {count, inFlight, failed, wallMs, perSecond: ms.length / (wallMs / 1000), medianMs: median(ms), p99Ms: percentile(ms, 0.99)};
}

async function run(label: string, count: number, inFlight: number, once: Send) {
	progress(`${label}: ${count} at ${inFlight} in flight`);
	return stats(count, inFlight, await timed(count, inFlight, once));
}

/**
 * `count` requests of each side in ROUNDS parts, the sides taking turns, so load that comes and goes on a shared
 * machine falls on every side alike instead of on whichever ran during it.
 */
async function interleaved<K extends string>(label: string, count: number, inFlight: number, sides: Record<K, Send>) {
	progress(`${label}: ${count} each of ${Object.keys(sides).join(", ")} at ${inFlight} in flight, in ${ROUNDS} turns`);
	const names = Object.keys(sides) as K[];
	const totals = new Map<K, Timed>(names.map(name => [name, {ms: [], failed: 0, wallMs: 0}]));
	const part = count / ROUNDS;
	for (let round = 0; round < ROUNDS; round++) {
		for (const name of names) {
			const result = await timed(part, inFlight, sides[name], round * part);
			const total = totals.get(name)!;
			total.ms.push(...result.ms);
			total.failed += result.failed;
			total.wallMs += result.wallMs;
		}
	}
	return Object.fromEntries(names.map(name => [name, stats(count, inFlight, totals.get(name)!)])) as Record<K, ReturnType<typeof stats>>;
}

/** Figure 12: opens through the ESC adapter beside the API's own floor, and a burst of opens at the rate limit. */
export async function escOpen(): Promise<Figure> {
	const {sequential, concurrent} = await withLocalApi({teams: [TEAM], organization: "local-org"}, async api => {
		return withAdapter(api, async caller => withFloors(api, async floors => {
			// One open first, so the team's organization and its TTL policies are read (and cached) before timing.
			await caller.open();
			await caller.presign(2 * OPENS);
			const sides = {adapter: () => caller.open(), floor: floors.hop, direct: floors.direct};
			return {
				sequential: await interleaved("sequential", OPENS, 1, sides),
				concurrent: await interleaved("concurrent", OPENS, IN_FLIGHT, sides),
			};
		}));
	});
	const burst = await withLocalApi({teams: [TEAM], rateLimit: RATE_LIMIT}, async api => withAdapter(api, async caller => {
		await caller.presign(BURST);
		const result = await run(`adapter, ${RATE_LIMIT} requests/s`, BURST, BURST, () => caller.open());
		const requests = api.requests();
		return {...result, requests: requests.length, tooManyRequests: requests.filter(entry => entry.status === 429).length, boundMs: (requests.filter(entry => entry.status !== 429).length / RATE_LIMIT) * 1000};
	}));
	const medianOver = sequential.adapter.medianMs - sequential.floor.medianMs;
	const throughputRatio = concurrent.adapter.perSecond / concurrent.floor.perSecond;
	const burstRatio = burst.wallMs / burst.boundMs;
	const rows: Row[] = [
		{
			measure: `ESC open latency, ${OPENS} opens one at a time: median / p99, adapter vs creates through a plain hop (floor)`,
			value: `adapter ${ms(sequential.adapter.medianMs)} / ${ms(sequential.adapter.p99Ms)}; floor ${ms(sequential.floor.medianMs)} / ${ms(sequential.floor.p99Ms)}; `
				+ `median over floor +${ms(medianOver)}; direct creates ${ms(sequential.direct.medianMs)} / ${ms(sequential.direct.p99Ms)}; `
				+ `failures ${sequential.adapter.failed + sequential.floor.failed}`,
			goal: `median <= floor + ${GOAL_MEDIAN_OVER_FLOOR_MS} ms, no failure`,
			met: medianOver <= GOAL_MEDIAN_OVER_FLOOR_MS && sequential.adapter.failed === 0,
		},
		{
			measure: `ESC opens per second, ${OPENS} opens ${IN_FLIGHT} in flight: adapter / creates through a plain hop (floor)`,
			value: `${concurrent.adapter.perSecond.toFixed(0)}/s / ${concurrent.floor.perSecond.toFixed(0)}/s = ${throughputRatio.toFixed(2)}; `
				+ `median ${ms(concurrent.adapter.medianMs)} vs ${ms(concurrent.floor.medianMs)}, p99 ${ms(concurrent.adapter.p99Ms)} vs ${ms(concurrent.floor.p99Ms)}; `
				+ `direct creates ${concurrent.direct.perSecond.toFixed(0)}/s (adapter / direct = ${(concurrent.adapter.perSecond / concurrent.direct.perSecond).toFixed(2)}); failures ${concurrent.adapter.failed}`,
			goal: `>= ${GOAL_THROUGHPUT_RATIO}, no failure`,
			met: throughputRatio >= GOAL_THROUGHPUT_RATIO && concurrent.adapter.failed === 0,
		},
		{
			measure: `ESC burst: ${BURST} opens at once, API limited to ${RATE_LIMIT} requests/s: wall / bound`,
			value: `${seconds(burst.wallMs)} / ${seconds(burst.boundMs)} = ${burstRatio.toFixed(2)}; ${burst.requests} requests (${burst.tooManyRequests} x 429), `
				+ `bound = accepted requests / ${RATE_LIMIT} per s; failures ${burst.failed}/${BURST}`,
			goal: `<= ${GOAL_BURST_RATIO}, no failure`,
			met: burstRatio <= GOAL_BURST_RATIO && burst.failed === 0,
		},
	];
	return {
		id: "12",
		title: "ESC adapter opens",
		rows,
		notes: [
			"Figure 12: `createEscAdapter` (dist/provider/esc) served on loopback plain HTTP in the bench process, opens of a described team token "
				+ "with a JWT signed beforehand (RS256 verification, body_hash and jti checks, grant lookup, then the engine's createMany). "
				+ "The floor is the same create POSTed through a plain Node http server in the same process that reads the body and forwards it "
				+ "with fetch to the same local API: one server and one client request more than a direct create, as any adapter has; "
				+ "direct creates (one round trip, straight to the API) are shown beside it. "
				+ `The three take turns, ${ROUNDS} of ${OPENS / ROUNDS} requests each. The first open (it reads the team's organization and TTL `
				+ `policies, cached afterwards) is not timed. The burst's bound is every request the API accepted at ${RATE_LIMIT}/s.`,
		],
		data: {sequential, concurrent, burst},
	};
}
