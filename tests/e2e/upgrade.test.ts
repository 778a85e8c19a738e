import {execFileSync} from "node:child_process";
import {symlinkSync} from "node:fs";
import {join, resolve} from "node:path";
import test from "ava";
import {BUILT} from "../installed";
import {scratchDir} from "../scratch";
import type {StateResource} from "./engine";
import {authenticates, engineStack} from "./harness";

const root = resolve(__dirname, "..", "..");

/** Pulumi's mark of a secret in state; its ciphertext changes at every write, so only the mark is compared. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** What a resource's state must keep across the upgrade, in a stable order (secret values are compared as outputs). */
const essentials = (resources: StateResource[]) =>
	JSON.parse(JSON.stringify(
		resources.map(({type, urn, id, inputs, outputs}) => ({type, urn, id, inputs, outputs})).sort((a, b) => a.urn.localeCompare(b.urn)),
		(_key, value: unknown) => (value && typeof value === "object" && SECRET_SIG in value ? "[secret]" : value),
	)) as unknown;

/**
 * The version before the token engine served other kinds (the base of issue 12). Its TeamToken state is what
 * stacks in the wild hold, so it is pinned rather than taken from HEAD, which moves on.
 */
const BEFORE_KINDS = "e328a44b4778c57d44c84d6549a140778c9ebb01";

/** That version's `dist/provider`, built from its sources with this checkout's compiler and dependencies. */
function buildAt(revision: string): string {
	const dir = scratchDir("release");
	execFileSync("sh", ["-c", `git -C "${root}" archive ${revision} provider tsconfig.json | tar -x -C "${dir}"`]);
	symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
	execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], {cwd: dir});
	return join(dir, "dist", "provider");
}

test("a TeamToken stack written by the version before the other kinds is a no-op for this one", async t => {
	const e = await engineStack(t, {}, buildAt(BEFORE_KINDS));
	e.tokens.legacy = {teamId: "team-e2e1", expiresInDays: 90, rotateBeforeDays: 30};
	e.tokens.described = {teamId: "team-e2e2", description: "deploy", triggers: ["2026-11"]};
	const before = await e.up();
	const stateBefore = essentials(await e.resources());
	const tokensBefore = e.api.tokens();

	e.install(BUILT);
	const preview = await e.stack.preview({expectNoChanges: true, diff: true});
	t.deepEqual(Object.keys(preview.changeSummary).filter(op => op !== "same"), [], "preview --expect-no-changes");
	const up = await e.stack.up({expectNoChanges: true});
	t.deepEqual(Object.keys(up.summary.resourceChanges ?? {}).filter(op => op !== "same"), []);
	t.deepEqual(essentials(await e.resources()), stateBefore, "ids, inputs, outputs and types unchanged");
	t.deepEqual(e.api.tokens(), tokensBefore, "no token touched");
	t.is(up.outputs.legacyToken?.value, before.legacyToken);
	t.is(up.outputs.describedToken?.value, before.describedToken);
	t.true(await authenticates(e.api, before.legacyToken!));
	t.true(await authenticates(e.api, before.describedToken!));

	// The new version is the one running: the old one had no other kinds.
	e.tokens.org = {resource: "OrganizationToken", organization: e.api.organization};
	const after = await e.up();
	t.true(await authenticates(e.api, after.orgToken!));
});
