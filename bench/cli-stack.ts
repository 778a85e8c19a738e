import {spawnSync} from "node:child_process";
import {chmodSync, mkdirSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import type {LocalApi} from "../dist/provider/local-api";
import {type Command, measure, type Measured} from "./pulumi-command";
import {installedProject} from "../tests/installed";
import {PulumiCli} from "../tests/pulumi-cli";
import {scratchDir} from "../tests/scratch";

/*
 * One Pulumi project for every CLI figure, driven through the `pulumi` binary (no Automation API): the built package
 * installed in its node_modules as npm would, a file backend and passphrase secrets in a scratch folder. Its program
 * is plain JavaScript, so no TypeScript compile is timed, and it exports nothing, so the state holds resources only.
 */

const PROJECT = "ptt-bench";

/**
 * Team ids the program can compute from an index alone, so that a thousand of them need not travel through stack
 * config. The local API must be seeded with `benchTeamIds(n)`.
 */
const TEAM_PREFIX = "team-bench";
export const benchTeamIds = (count: number): string[] => Array.from({length: count}, (_, i) => `${TEAM_PREFIX}${i}`);

/*
 * mode "floor": no-op dynamic resources, what the engine and the SDK cost with no provider work at all. The provider
 * object is one, so the SDK serializes it once per resource from the same closure, as any dynamic provider would be.
 * mode "floor-shaped": no-op dynamic resources of a TeamToken's shape: the same inputs, the same eleven outputs, the token
 * kept secret; what the engine and the SDK cost for such a resource with no provider work.
 * mode "ours": legacy TeamTokens, one per team, forceRegenerate so create is a single POST.
 * mode "plugin": the same TeamTokens through the provider plugin (tfe-tokens), registered with the same properties.
 */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const config = new pulumi.Config();
const mode = config.require("mode");
const count = config.requireNumber("count");
if (mode === "floor") {
	const noop = {
		async create() { return {id: require("crypto").randomUUID(), outs: {}}; },
		async delete() {},
	};
	for (let i = 0; i < count; i++) new pulumi.dynamic.Resource(noop, "r" + i, {});
} else if (mode === "floor-shaped") {
	const outputs = ["teamId", "description", "forceRegenerate", "expiredAt", "expiresInDays", "rotateBeforeDays", "triggers", "tokenId", "token", "createdAt", "createdBy"];
	const noop = {
		async create(inputs) {
			const crypto = require("crypto");
			return {id: crypto.randomUUID(), outs: {...inputs, tokenId: "at-" + crypto.randomBytes(8).toString("hex"), token: crypto.randomBytes(45).toString("hex"), createdAt: new Date().toISOString(), createdBy: "user-bench"}};
		},
		async delete() {},
	};
	for (let i = 0; i < count; i++) {
		const props = Object.fromEntries(outputs.map(key => [key, undefined]));
		new pulumi.dynamic.Resource(noop, "r" + i, {...props, teamId: ${JSON.stringify(TEAM_PREFIX)} + i, forceRegenerate: true}, {additionalSecretOutputs: ["token"]});
	}
} else if (mode === "ours") {
	const {TeamToken} = require("pulumi-tfe-team-token");
	for (let i = 0; i < count; i++) new TeamToken("t" + i, {teamId: ${JSON.stringify(TEAM_PREFIX)} + i, forceRegenerate: true});
} else if (mode === "plugin") {
	const props = ["description", "forceRegenerate", "expiredAt", "expiresInDays", "rotateBeforeDays", "triggers", "tokenId", "token", "createdAt", "createdBy"];
	for (let i = 0; i < count; i++) {
		const args = {...Object.fromEntries(props.map(key => [key, undefined])), teamId: ${JSON.stringify(TEAM_PREFIX)} + i, forceRegenerate: true};
		new pulumi.CustomResource("tfe-tokens:index:TeamToken", "t" + i, args, {additionalSecretOutputs: ["token"]});
	}
} else {
	throw new Error("unknown mode " + mode);
}
`;

const PULUMI_YAML = `name: ${PROJECT}
runtime:
  name: nodejs
  options:
    typescript: false
main: index.js
`;

export type Mode = "floor" | "floor-shaped" | "ours" | "plugin";

/** A folder holding `pulumi-resource-tfe-tokens`, which starts this checkout's built plugin, for PATH. */
function pluginBin(): string {
	const bin = scratchDir("plugin-bin");
	mkdirSync(bin, {recursive: true});
	const main = resolve(__dirname, "..", "dist", "provider", "plugin", "main.js");
	writeFileSync(join(bin, "pulumi-resource-tfe-tokens"), `#!/bin/sh\nexec node ${JSON.stringify(main)} "$@"\n`);
	chmodSync(join(bin, "pulumi-resource-tfe-tokens"), 0o755);
	return bin;
}

export interface BenchStack {
	cli: PulumiCli;
	mode: Mode;
	/** The stack's checkpoint in the file backend. */
	stateFile: string;
	/** Runs one command, timed, with `flags` (e.g. `--parallel`); ours also counts the requests its provider makes. */
	measure(command: Command, flags?: readonly string[]): Promise<Measured>;
	setCount(count: number): Promise<void>;
	stateFileBytes(): number;
	/** `pulumi stack export`, as a user runs it (secrets stay encrypted). */
	exportState(): Promise<string>;
	/** Destroys what is left and removes the stack. Never throws. */
	remove(): Promise<void>;
}

/** Where the project's stacks keep state: one file backend, as a team sharing a state bucket would have. */
let backend: string | undefined;

export interface BenchStackOptions {
	/** The API ours talks to (required for ours, unused by the floors). */
	api?: LocalApi;
	/** Set for every command of the stack. */
	env?: Record<string, string>;
}

/**
 * A stack of the bench project in a folder of its own (PulumiCli runs commands on the folder's selected stack, so two
 * stacks run interleaved need two folders), with `count` 0 until set.
 */
export async function benchStack(name: string, mode: Mode, {api, env}: BenchStackOptions = {}): Promise<BenchStack> {
	const talks = mode === "ours" || mode === "plugin";
	if (talks && !api) throw new Error(`benchStack: ${mode} needs the API its provider talks to`);
	const counted = talks ? api : undefined;
	if (mode === "plugin") env = {...env, PATH: `${pluginBin()}:${process.env.PATH}`};
	const dir = installedProject();
	writeFileSync(join(dir, "Pulumi.yaml"), PULUMI_YAML);
	writeFileSync(join(dir, "index.js"), PROGRAM);
	writeFileSync(join(dir, "package.json"), `${JSON.stringify({name: PROJECT, private: true, main: "index.js"})}\n`);
	backend ??= scratchDir("backend");
	const cli = new PulumiCli({dir, stack: name, scratch: backend, passphrase: "bench", ...(env ? {env} : {})});
	await cli.run(["stack", "init", name]);
	const config = ["--plaintext", `mode=${mode}`, "--plaintext", "count=0"];
	const namespace = mode === "plugin" ? "tfe-tokens" : "tfe";
	if (counted) config.push("--plaintext", `${namespace}:hostname=${counted.url}`, "--secret", `${namespace}:token=${counted.adminToken}`);
	await cli.run(["config", "set-all", ...config], {quiet: true});
	const stateFile = join(backend, ".pulumi", "stacks", PROJECT, `${name}.json`);
	return {
		cli,
		mode,
		stateFile,
		measure: (command, flags) => measure(cli, command, counted, flags),
		setCount: async count => void await cli.run(["config", "set", "count", String(count)]),
		stateFileBytes: () => statSync(stateFile).size,
		exportState: () => cli.run(["stack", "export"], {quiet: true}),
		remove: async () => {
			await cli.remove();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** `pulumi version`; throws when the CLI is not on PATH (run through scripts/with-pulumi.sh). */
export function pulumiVersion(): string {
	const result = spawnSync("pulumi", ["version"], {encoding: "utf8", env: {...process.env, PULUMI_SKIP_UPDATE_CHECK: "true"}});
	if (result.status !== 0) throw new Error("pulumi CLI not on PATH (run through bash scripts/with-pulumi.sh)");
	return result.stdout.trim();
}
