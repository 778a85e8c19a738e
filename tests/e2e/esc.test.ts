import test, {type ExecutionContext} from "ava";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {redact} from "../../provider/api/errors";
import type {TokenRecord} from "../../provider/local-api";
import {authenticates} from "../probe";
import {escWorld, PLACEHOLDERS, type EscWorld, type Evaluation} from "./esc-world";

/*
 * The ESC adapter (issue 27) as Pulumi ESC uses it: the definitions of examples/esc, evaluated by ESC's own evaluator
 * (tests/esc, github.com/pulumi/esc), call the adapter started by `npx pulumi-tfe-team-token esc-adapter` as the docs
 * say, in a project that installed the release's npm tarball (dist/release, or PTT_RELEASE_DIR), over https with RS256 JWTs signed by the tests' own key, against the local API at 30 requests per second.
 * Serial: the tests count the tokens on the one local API they share, and the last one reads the adapter's output
 * that all the others left.
 */

/** The local API's limit per credential, as HCP Terraform's documented 30 requests per second. */
const RATE_LIMIT = 30;
/** A second team, in no grant. */
const UNGRANTED_TEAM = "team-notgranted1";

let world: EscWorld;
/** Every token the adapter answered, to look for in its output at the end. */
const issued = new Set<string>();

test.before(async () => {
	world = await escWorld({teams: ["team-escgranted1", UNGRANTED_TEAM], agentPools: 1, organization: "esc-org", rateLimit: RATE_LIMIT});
});

test.after.always(async () => {
	await world?.close();
});

/** The token answered at `path` (e.g. ["tfe", "response"]) of an evaluation's values; fails the test when absent. */
function answerAt(t: ExecutionContext, evaluation: Evaluation, path: string[]): Answer {
	let value: unknown = evaluation.values;
	for (const key of path) value = (value as Record<string, unknown> | null | undefined)?.[key];
	const answer = value as Answer | undefined;
	if (typeof answer?.token !== "string") {
		t.fail(redact(`no token at ${path.join(".")}: diagnostics ${JSON.stringify(evaluation.diagnostics)}, calls ${JSON.stringify(evaluation.calls)}`));
		throw new Error("no token");
	}
	remember(answer);
	return answer;
}

interface Answer {
	token: string;
	tokenId: string;
	expiresAt: string;
	description: string;
	standby?: Answer | null;
}

function remember(answer: Answer): void {
	issued.add(answer.token);
	if (answer.standby) issued.add(answer.standby.token);
}

const tokenIds = () => new Set(world.api.tokens().map(token => token.id));
const record = (id: string): TokenRecord | undefined => world.api.tokens().find(token => token.id === id);
const seconds = (ms: number) => Math.round(ms / 1000);

/** Runs `action`, and checks it made no token: nothing POSTed to the API, no token id it did not hold before. */
async function createsNothing<T>(t: ExecutionContext, action: () => Promise<T>): Promise<T> {
	const before = tokenIds();
	world.api.clearRequests();
	const result = await action();
	const posts = world.api.requests().filter(entry => entry.method === "POST");
	t.deepEqual(posts.map(entry => entry.path), [], "nothing POSTed to the API");
	t.deepEqual([...tokenIds()].filter(id => !before.has(id)), [], "no new token");
	return result;
}

/** Each call the evaluation made was refused with this status, and ESC saw the refusal as an error. */
function refused(t: ExecutionContext, evaluation: Evaluation, status: number, message: RegExp): void {
	t.true(evaluation.calls.length > 0, "the adapter was called");
	for (const call of evaluation.calls) {
		t.is(call.status, status, redact(JSON.stringify(call)));
		t.regex(call.error ?? "", message);
		// The refusal names the check, never the credential it refused.
		t.notRegex(call.error ?? "", /eyJ[\w-]+\.|\.atlasv1\./);
	}
	t.true(evaluation.diagnostics.some(line => line.includes(`${status}`)), redact(JSON.stringify(evaluation.diagnostics)));
}

test.serial("the adapter runs as docs/esc.md starts it: `npx pulumi-tfe-team-token esc-adapter` with flags the page lists", t => {
	const docs = readFileSync(join(__dirname, "..", "..", "docs", "esc.md"), "utf8");
	t.true(docs.includes(`npx pulumi-tfe-team-token ${world.adapterArgs[0]} \\`), "the page's command");
	for (const flag of world.adapterArgs.filter(arg => arg.startsWith("--"))) t.true(docs.includes(`\`${flag} `), `the page lists ${flag}`);
});

const OPEN = [
	{file: "open-team.yaml", env: "ci/tfe-team", owner: () => world.api.teams[0]!, variable: "TFE_TOKEN"},
	{file: "open-agent-pool.yaml", env: "ci/tfe-agent", owner: () => world.api.agentPools[0]!, variable: "TFC_AGENT_TOKEN"},
	{file: "open-user.yaml", env: "ci/tfe-user", owner: () => "user", variable: "TFE_TOKEN"},
] as const;

for (const example of OPEN) {
	test.serial(`open ${example.file} (${example.env}): a fresh token that works, expiring as asked, described for ESC`, async t => {
		const before = tokenIds();
		const started = Date.now();
		const opened = await world.open(world.definition(example.file), example.env);
		t.deepEqual(opened.diagnostics, []);
		t.deepEqual(opened.calls.map(call => call.status), [200]);
		const answer = answerAt(t, opened, ["tfe", "response"]);
		// Compared, not shown: a failure prints no token.
		t.true((opened.values!["environmentVariables"] as Record<string, string>)[example.variable] === answer.token, "the definition's reader gets it");
		t.true(await authenticates(world.api, answer.token), "the token works");
		t.false(before.has(answer.tokenId));
		const stored = record(answer.tokenId);
		t.truthy(stored, "the answered token id is the API's");
		if (example.owner() !== "user") t.is(stored?.ownerId, example.owner());
		// The example asks for 30m.
		t.true(Math.abs(seconds(Date.parse(answer.expiresAt) - started) - 30 * 60) <= 30, answer.expiresAt);
		if (example.file === "open-agent-pool.yaml") {
			// Agent tokens take no expiry on HCP Terraform: the adapter's revocation is what ends them (tested below).
			t.true(stored?.expiredAt == null || Date.parse(stored.expiredAt) >= Date.parse(answer.expiresAt));
		} else {
			t.is(stored?.expiredAt && seconds(Date.parse(stored.expiredAt)), seconds(Date.parse(answer.expiresAt)), "the API holds the same expiry");
		}
		t.regex(answer.description, /ESC/);
		t.true(answer.description.includes(example.env), answer.description);
		t.is(stored?.description, answer.description);
		// A second open is another token.
		const again = answerAt(t, await world.open(world.definition(example.file), example.env), ["tfe", "response"]);
		t.not(again.tokenId, answer.tokenId);
		t.true(await authenticates(world.api, answer.token), "the first still works");
	});
}

test.serial("open per owner: each token works until its expiry and is refused after, revoked by the adapter", async t => {
	// Long enough that a probe two seconds before the expiry is still before it on a loaded machine.
	const ttlSeconds = 6;
	// All owners at once, so the wait is paid once.
	await Promise.all(OPEN.map(async example => {
		const opened = await world.open(world.definition(example.file, {"ttl: 30m": `ttl: ${ttlSeconds}s`}), example.env);
		const answer = answerAt(t, opened, ["tfe", "response"]);
		const expiresAt = Date.parse(answer.expiresAt);
		t.true(expiresAt - Date.now() <= ttlSeconds * 1000, answer.expiresAt);
		t.true(await authenticates(world.api, answer.token), `${example.file}: works before its expiry`);
		await delay(Math.max(0, expiresAt - Date.now() - 2000));
		t.true(await authenticates(world.api, answer.token), `${example.file}: still works a moment before its expiry`);
		await delay(Math.max(0, expiresAt - Date.now()) + 1000);
		t.false(await authenticates(world.api, answer.token), `${example.file}: refused after its expiry`);
		// The adapter revokes it, so the owner's list does not grow, and an agent token (which takes no expiry) dies.
		const deadline = Date.now() + 15_000;
		while (tokenIds().has(answer.tokenId) && Date.now() < deadline) await delay(250);
		t.false(tokenIds().has(answer.tokenId), `${example.file}: revoked by the adapter after its expiry`);
	}));
});

test.serial("open: a ttl above the grant's cap is a 400 naming the cap; a single-slot token points at /rotate; nothing is created", async t => {
	const tooLong = await createsNothing(t, () => world.open(world.definition("open-team.yaml", {"ttl: 30m": "ttl: 3h"}), "ci/tfe-team"));
	refused(t, tooLong, 400, /2h/);
	const legacy = await createsNothing(t, () => world.open(world.definition("open-team.yaml", {"ttl: 30m": "legacy: true"}), "ci/tfe-team"));
	refused(t, legacy, 400, /\/rotate/);
	for (const single of ["organizationToken", "auditTrailToken"]) {
		const slot = {[`team: ${PLACEHOLDERS.team}`]: `${single}: ${PLACEHOLDERS.tfeOrganization}`};
		refused(t, await createsNothing(t, () => world.open(world.definition("open-team.yaml", slot), "ci/tfe-team")), 400, /\/rotate/);
	}
});

const MANY_SLOTS = [
	{file: "rotate-team.yaml", env: "deploy/tfe-team", variable: "TFE_TOKEN"},
	{file: "rotate-agent-pool.yaml", env: "deploy/tfe-agent", variable: "TFC_AGENT_TOKEN"},
	{file: "rotate-user.yaml", env: "deploy/tfe-user", variable: "TFE_TOKEN"},
] as const;

for (const example of MANY_SLOTS) {
	test.serial(`rotate ${example.file} three times, the state written back and parsed again: current and standby work, the one before is revoked`, async t => {
		const definition = world.definition(example.file);
		const answers: Answer[] = [];
		for (let round = 1; round <= 3; round++) {
			const rotated = await world.rotate(definition, example.env);
			t.deepEqual(rotated.diagnostics, [], `round ${round}`);
			t.deepEqual(rotated.rotations, [{path: "values.tfe", status: "succeeded"}]);
			const current = answerAt(t, rotated, ["tfe", "current"]);
			const written = readFileSync(definition, "utf8");
			t.is(written, rotated.definition ?? "", "the new state is what the next run parses");
			t.false(written.includes(current.token), "the definition holds the token encrypted");
			t.true(await authenticates(world.api, current.token), `round ${round}: current works`);
			t.true((rotated.values!["environmentVariables"] as Record<string, string>)[example.variable] === current.token, "the definition's reader gets it");
			const previous = answers.at(-1);
			if (previous) {
				t.is(current.standby?.tokenId, previous.tokenId, `round ${round}: the previous token is the standby`);
				t.true(await authenticates(world.api, previous.token), `round ${round}: standby works`);
			} else {
				t.falsy(current.standby, "the first rotation has no standby");
			}
			const beforePrevious = answers.at(-2);
			if (beforePrevious) {
				t.false(await authenticates(world.api, beforePrevious.token), `round ${round}: the one before the standby is revoked`);
				t.false(tokenIds().has(beforePrevious.tokenId), "gone from the API");
			}
			answers.push(current);
		}
		// Opening the rotated environment, as its readers do, reads the stored state and calls nothing.
		const opened = await world.open(definition, example.env);
		t.deepEqual(opened.calls, []);
		t.is(answerAt(t, opened, ["tfe", "current"]).tokenId, answers[2]!.tokenId);
	});
}

const SINGLE_SLOT = [
	{file: "rotate-team-legacy.yaml", env: "deploy/tfe-team-legacy"},
	{file: "rotate-organization-token.yaml", env: "deploy/tfe-organization"},
	{file: "rotate-audit-trail-token.yaml", env: "deploy/tfe-audit-trail"},
] as const;

for (const example of SINGLE_SLOT) {
	test.serial(`rotate ${example.file} three times: each regenerates it, the old value stops working at once`, async t => {
		const definition = world.definition(example.file);
		let previous: Answer | undefined;
		for (let round = 1; round <= 3; round++) {
			const rotated = await world.rotate(definition, example.env);
			t.deepEqual(rotated.diagnostics, [], `round ${round}`);
			const current = answerAt(t, rotated, ["tfe", "current"]);
			t.falsy(current.standby, "a single slot has no standby");
			t.true(await authenticates(world.api, current.token), `round ${round}: current works`);
			if (previous) {
				t.true(current.token !== previous.token, "a new value");
				t.false(await authenticates(world.api, previous.token), `round ${round}: the old value is dead`);
			}
			previous = current;
		}
	});
}

test.serial("rotate: an organization token made outside ESC and in use is kept (409) unless the request says replaceExisting", async t => {
	// Regenerated by hand, as an admin would: no state names it.
	const response = await fetch(`${world.api.url}/api/v2/organizations/${world.api.organization}/authentication-token`, {
		method: "POST",
		headers: {authorization: `Bearer ${world.api.adminToken}`, "content-type": "application/vnd.api+json"},
		body: JSON.stringify({data: {type: "authentication-token", attributes: {}}}),
	});
	t.is(response.status, 201);
	const byHand = ((await response.json()) as {data: {attributes: {token: string}}}).data.attributes.token;
	issued.add(byHand);
	// In use: a token the adapter's own user made and never used could be the adapter's create whose answer was lost,
	// which the engine's rule lets it replace.
	t.true(await authenticates(world.api, byHand));

	const kept = await createsNothing(t, () => world.rotate(world.definition("rotate-organization-token.yaml"), "deploy/tfe-organization"));
	refused(t, kept, 409, /replaceExisting/);
	t.true(await authenticates(world.api, byHand), "the token made by hand still works");

	const definition = world.definition("rotate-organization-token.yaml", {"# replaceExisting: true": "replaceExisting: true"});
	const replaced = answerAt(t, await world.rotate(definition, "deploy/tfe-organization"), ["tfe", "current"]);
	t.true(await authenticates(world.api, replaced.token));
	t.false(await authenticates(world.api, byHand), "replaced: the old value is dead");
});

/** Each flaw of the JWT or body the issue lists, and what the adapter's 401 must name. */
const AUTHENTICATION_FAILURES: [attack: string, message: RegExp][] = [
	["alg-none", /alg/i],
	["hs256", /alg/i],
	["unknown-kid", /kid/i],
	["other-key", /signature/i],
	["wrong-iss", /iss/i],
	["wrong-aud", /aud/i],
	["other-route-aud", /aud/i],
	["expired", /exp/i],
	["iat-future", /iat/i],
	["no-body-hash", /body_hash/i],
	["wrong-body-hash", /body_hash/i],
	["oversized", /too large/i],
	["no-auth", /authorization|bearer|jwt/i],
];

/** The adapter's log lines of refused requests whose error matches. */
const loggedRefusals = (status: number, message: RegExp) =>
	world.adapterOutput.filter(line => line.startsWith("{")).map(line => JSON.parse(line) as {status?: number; error?: string})
		.filter(line => line.status === status && message.test(line.error ?? "")).length;

/**
 * The adapter answers an oversized body before reading all of it and closes the connection, so a client still
 * sending may see the connection reset instead of the 401 (ESC-CONTRACT.md, ISSUES FOUND). Such a call counts as
 * refused, since the adapter's log must still show the 401 (checked below).
 */
function withoutLostAnswers(evaluation: Evaluation, attack: string): Evaluation {
	if (attack !== "oversized") return evaluation;
	const lost = (text: string) => /broken pipe|connection reset/i.test(text);
	return {
		...evaluation,
		calls: evaluation.calls.map(call => call.status === 0 && lost(call.error ?? "") ? {...call, status: 401, error: "body too large (answer lost)"} : call),
		diagnostics: evaluation.diagnostics.map(line => lost(line) ? `${line} (401, answer lost)` : line),
	};
}

for (const [attack, message] of AUTHENTICATION_FAILURES) {
	test.serial(`authentication: ${attack} is refused with 401 on /open and /rotate, nothing created`, async t => {
		const fetchesBefore = world.jwksFetches();
		const loggedBefore = loggedRefusals(401, message);
		const opened = await createsNothing(t, () => world.open(world.definition("open-team.yaml"), "ci/tfe-team", {attack}));
		refused(t, withoutLostAnswers(opened, attack), 401, message);
		const rotated = await createsNothing(t, () => world.rotate(world.definition("rotate-team.yaml"), "deploy/tfe-team", {attack}));
		refused(t, withoutLostAnswers(rotated, attack), 401, message);
		t.deepEqual(rotated.rotations, [{path: "values.tfe", status: "failed"}]);
		// The adapter logs a request once its answer is sent, so the line may come a moment after the answer.
		const deadline = Date.now() + 10_000;
		while (loggedRefusals(401, message) - loggedBefore < 2 && Date.now() < deadline) await delay(50);
		t.is(loggedRefusals(401, message) - loggedBefore, 2, "the adapter logged both refusals with the check that failed");
		if (attack === "unknown-kid") {
			// An unknown kid refetches the JWKS, at most once in a few seconds however often it comes.
			t.true(world.jwksFetches() - fetchesBefore <= 1, `${world.jwksFetches() - fetchesBefore} fetches`);
		}
	});
}

test.serial("authentication: a replayed JWT (same jti) is refused with 401; only the first request made a token", async t => {
	const before = tokenIds();
	const opened = await world.open(world.definition("open-team.yaml"), "ci/tfe-team", {attack: "replay"});
	t.deepEqual(opened.calls.map(call => call.status), [200, 401]);
	t.regex(opened.calls[1]!.error ?? "", /jti|replay/i);
	const created = [...tokenIds()].filter(id => !before.has(id));
	t.is(created.length, 1, "one token, from the first request");
});

test.serial("authorization: requests outside every grant are 403 naming organization, environment and token; nothing created", async t => {
	const stranger = await createsNothing(t, () => world.open(world.definition("open-team.yaml"), "ci/tfe-team", {org: "stranger-org"}));
	refused(t, stranger, 403, /stranger-org/);
	t.regex(stranger.calls[0]!.error!, new RegExp(world.api.teams[0]!));
	const otherEnv = await createsNothing(t, () => world.open(world.definition("open-team.yaml"), "sandbox/tfe-team"));
	refused(t, otherEnv, 403, /sandbox\/tfe-team/);
	const otherTeam = await createsNothing(t, () => world.open(world.definition("open-team.yaml", {[PLACEHOLDERS.team]: UNGRANTED_TEAM}), "ci/tfe-team"));
	refused(t, otherTeam, 403, new RegExp(UNGRANTED_TEAM));
	// The ci grant has no organization token; the deploy grant has.
	const orgFromCi = await createsNothing(t, () => world.rotate(world.definition("rotate-organization-token.yaml"), "ci/tfe-organization"));
	refused(t, orgFromCi, 403, /ci\/tfe-organization/);
	const userElsewhere = await createsNothing(t, () => world.open(world.definition("open-user.yaml"), "deploy-old/tfe-user"));
	refused(t, userElsewhere, 403, /deploy-old\/tfe-user/);
});

test.serial(`100 concurrent opens against an API that allows ${RATE_LIMIT} requests per second all succeed`, async t => {
	const before = tokenIds();
	world.api.clearRequests();
	const runs = await world.openMany(world.definition("open-team.yaml"), "ci/tfe-team", 100);
	const failed = runs.filter(run => run.calls.length !== 1 || run.calls[0]!.status !== 200);
	t.deepEqual(failed.map(run => run.calls), [], "no open failed");
	const answers = runs.map(run => answerAt(t, run, ["tfe", "response"]));
	t.is(new Set(answers.map(answer => answer.tokenId)).size, 100, "100 different tokens");
	t.true(answers.every(answer => !before.has(answer.tokenId) && record(answer.tokenId) !== undefined));
	const working = await Promise.all(answers.map(answer => authenticates(world.api, answer.token)));
	t.is(working.filter(Boolean).length, 100, "every one works");
	t.log(`${world.api.requests().filter(entry => entry.status === 429).length} answers of 429 from the API on the way`);
});

test.serial("the adapter's first line names its URL; its output holds no token and no JWT; one JSON line per request; SIGTERM ends it with 0", async t => {
	t.is(world.adapterUrl, world.publicUrl, "the first line names the URL it listens on");
	const output = world.adapterOutput;
	t.true(output.length > 0);
	for (const token of world.api.tokens()) issued.add(token.token);
	issued.add(world.api.adminToken);
	t.true(issued.size > 100, `${issued.size} tokens to look for`);
	const leaks = output.filter(line => [...issued].some(token => line.includes(token)) || /\.atlasv1\.|eyJ[\w-]+\.eyJ/.test(line));
	t.deepEqual(leaks.map(line => line.slice(0, 60)), [], "no line holds a token or a JWT");
	const requestLines = output.filter(line => line.startsWith("{")).map(line => JSON.parse(line) as Record<string, unknown>);
	const opens = requestLines.filter(line => line["route"] === "/open" && line["status"] === 200);
	t.true(opens.length >= 100, `${opens.length} logged opens`);
	for (const field of ["time", "route", "org", "environment", "triggerUser", "jti", "owner", "tokenId", "outcome", "status", "ms"]) {
		t.true(opens.every(line => field in line), `every open's log line has ${field}`);
	}
	t.is(await world.stopAdapter(), 0);
});

function delay(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}
