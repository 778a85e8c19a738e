import {type ChildProcess, spawn} from "node:child_process";
import {rmSync} from "node:fs";
import {join} from "node:path";
import type {LocalApi} from "../provider/local-api";

/*
 * The `pulumi` binary driven as a user drives it: one child process per command, run in a Pulumi project's folder.
 * The CLI starts the Node.js language host, which runs the project's program. Used by the CLI engine tests and by
 * `npm run demo`, which prints each command as it runs it.
 */

export interface CliOptions {
	/** The project folder (holds Pulumi.yaml). */
	dir: string;
	stack: string;
	/** Folder for the file backend and PULUMI_HOME; the caller owns and removes it. */
	scratch: string;
	/** Passphrase of the stack's secrets provider. */
	passphrase: string;
	/** Called with each command line before it runs (secret values masked) and with everything it prints. */
	echo?: (text: string) => void;
	/** Set for every command, after everything else (e.g. PULUMI_SKIP_CHECKPOINTS for a bench variation). */
	env?: Record<string, string>;
}

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	/** A secret argument, shown as **** in the echo. */
	mask?: string;
	/** Not echoed at all (output that holds secrets). */
	quiet?: boolean;
	/**
	 * In a process group of its own, so that a test can kill it together with the language and provider hosts it
	 * started, by its id.
	 */
	group?: boolean;
}

export class PulumiCliError extends Error {
	override name = "PulumiCliError";
	constructor(readonly command: string, readonly result: CliResult) {
		super(`\`${command}\` exited with ${result.code}:\n${result.stdout}\n${result.stderr}`);
	}
}

export class PulumiCli {
	readonly env: NodeJS.ProcessEnv;

	constructor(readonly options: CliOptions) {
		this.env = {
			...process.env,
			PULUMI_BACKEND_URL: `file://${options.scratch}`,
			PULUMI_HOME: join(options.scratch, ".pulumi-home"),
			PULUMI_CONFIG_PASSPHRASE: options.passphrase,
			PULUMI_SKIP_UPDATE_CHECK: "true",
			PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
			// The provider must take its address and token from the stack's config, not from the machine.
			TFE_TOKEN: "",
			TFE_ADDRESS: "",
			TFE_HOSTNAME: "",
			...options.env,
		};
	}

	/** Runs `pulumi <args>`; rejects with PulumiCliError on a non-zero exit. */
	async run(args: string[], options: RunOptions = {}): Promise<string> {
		const result = await this.spawn(args, options);
		if (result.code !== 0) {
			throw new PulumiCliError(`pulumi ${args.join(" ")}`, result);
		}
		return result.stdout;
	}

	/** Runs `pulumi <args>` and resolves with its exit code and output whatever the code. */
	spawn(args: string[], options: RunOptions = {}): Promise<CliResult> {
		return this.start(args, options).done;
	}

	/** Starts `pulumi <args>`; `done` resolves with its exit code and output whatever the code. */
	start(args: string[], {mask, quiet, group}: RunOptions = {}): {child: ChildProcess; done: Promise<CliResult>} {
		const echo = quiet ? undefined : this.options.echo;
		const shown = args.map(arg => mask && arg === mask ? "****" : arg).join(" ");
		echo?.(`\n$ pulumi ${shown}\n`);
		const child = spawn("pulumi", args, {cwd: this.options.dir, env: this.env, detached: group ?? false, stdio: ["ignore", "pipe", "pipe"]});
		let stdout = "";
		let stderr = "";
		child.stdout!.on("data", (chunk: Buffer) => {
			stdout += chunk;
			echo?.(chunk.toString());
		});
		child.stderr!.on("data", (chunk: Buffer) => {
			stderr += chunk;
			echo?.(chunk.toString());
		});
		const done = new Promise<CliResult>((resolve, reject) => {
			child.on("error", reject);
			child.on("close", code => resolve({code: code ?? 1, stdout, stderr}));
		});
		return {child, done};
	}

	/** `pulumi stack init` plus the configuration a user sets for the local API: address, secret token, team. */
	async initStack(api: LocalApi, config: Record<string, string>): Promise<void> {
		await this.run(["stack", "init", this.options.stack]);
		await this.run(["config", "set", "tfe:hostname", api.url]);
		await this.run(["config", "set", "--secret", "tfe:token", api.adminToken], {mask: api.adminToken});
		for (const [key, value] of Object.entries(config)) {
			await this.run(["config", "set", key, value]);
		}
	}

	/** `pulumi stack output --json` (the examples export strings only), secrets shown as "[secret]" unless asked for. */
	async outputs(showSecrets = false): Promise<Record<string, string>> {
		return JSON.parse(await this.run(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])], {quiet: showSecrets})) as Record<string, string>;
	}

	/** Destroys what is left, removes the stack and its settings file from the project folder. Never throws. */
	async remove(): Promise<void> {
		await this.spawn(["destroy", "--yes", "--non-interactive", "--skip-preview"], {quiet: true}).catch(() => undefined);
		await this.spawn(["stack", "rm", "--yes", "--force", this.options.stack], {quiet: true}).catch(() => undefined);
		rmSync(join(this.options.dir, `Pulumi.${this.options.stack}.yaml`), {force: true});
	}
}
