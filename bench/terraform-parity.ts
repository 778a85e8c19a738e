import {benchStack, benchTeamIds, pulumiVersion} from "./cli-stack";
import type {Command, Measured} from "./pulumi-command";
import {type Figure, progress, type Row, seconds, withLocalApi} from "./support";

/*
 * Figure 8: `pulumi up` and `pulumi destroy` of 200 legacy TeamTokens on an API limited to 30 requests/s, beside
 * the bound the limit sets and beside Terraform on the same kind of API. Terraform is not run here: its times are
 * the ones measured in issue 11 and are labelled so.
 */

const COUNT = 200;
const RATE_LIMIT = 30;

/** Terraform + hashicorp/tfe v0.80.0 against this local API at 30 requests/s, 200 tfe_team_token: issue 11. */
const TERRAFORM_MS: Record<"up" | "destroy", number> = {up: 13_670, destroy: 13_260};
/** Goal as a fraction of Terraform's time. */
const GOAL: Record<"up" | "destroy", number> = {up: 0.7, destroy: 1};

function row(command: "up" | "destroy", m: Measured): Row {
	const requests = m.requests!;
	// The limiter admits RATE_LIMIT requests per second; a 429 is refused, not admitted, so it does not count.
	const boundMs = ((requests.total - requests.throttled) / RATE_LIMIT) * 1000;
	const terraform = TERRAFORM_MS[command];
	const goalMs = GOAL[command] * terraform;
	return {
		measure: `rate limit ${RATE_LIMIT}/s, ${COUNT} TeamTokens: pulumi ${command}`,
		value: `${seconds(m.ms)}; ${requests.total} requests (${requests.throttled} x 429); / bound ${seconds(boundMs)} = ${(m.ms / boundMs).toFixed(2)}; `
			+ `/ Terraform ${seconds(terraform)} (measured in issue 11, not in this run) = ${(m.ms / terraform).toFixed(2)}`
			+ (requests.firstAt === undefined ? "" : `; first request at ${seconds(requests.firstAt - m.startedAt)}, last at ${seconds(requests.lastAt! - m.startedAt)}`),
		goal: `<= ${GOAL[command] === 1 ? "" : `${GOAL[command]} x `}Terraform (${seconds(goalMs)})`,
		met: m.ms <= goalMs,
	};
}

export async function terraformParity(): Promise<Figure> {
	const version = pulumiVersion();
	const measured = await withLocalApi({teams: benchTeamIds(COUNT), rateLimit: RATE_LIMIT}, async api => {
		const stack = await benchStack("parity", "ours", {api});
		try {
			await stack.setCount(COUNT);
			const result: Partial<Record<Command, Measured>> = {};
			for (const command of ["up", "destroy"] as const) {
				result[command] = await stack.measure(command);
				progress(`ours ${command}, ${COUNT} resources at ${RATE_LIMIT}/s: ${seconds(result[command].ms)}`);
			}
			return result as Record<"up" | "destroy", Measured>;
		} finally {
			await stack.remove();
		}
	});
	return {
		id: "8",
		title: "Up and destroy at the rate limit, beside Terraform",
		rows: [row("up", measured.up), row("destroy", measured.destroy)],
		notes: [
			`8: pulumi ${version} CLI, default --parallel, ${COUNT} legacy TeamTokens (forceRegenerate: true, one per team), local API limited to `
				+ `${RATE_LIMIT} requests/s per credential; bound = admitted requests (all but 429s) / ${RATE_LIMIT} per s; first and last request: `
				+ "arrival at the local API after pulumi was started (before the first, the CLI, the language host running the program and the "
				+ `dynamic-provider host start up: the engine's start-up, which figure 6's floor pays too). Terraform's times `
				+ `(Terraform with hashicorp/tfe v0.80.0, ${COUNT} tfe_team_token on this local API at ${RATE_LIMIT}/s: create `
				+ `${seconds(TERRAFORM_MS.up)}, destroy ${seconds(TERRAFORM_MS.destroy)}) are quoted from issue 11, not measured in this run.`,
		],
		data: {pulumi: version, count: COUNT, rateLimit: RATE_LIMIT, terraformMs: TERRAFORM_MS, up: measured.up, destroy: measured.destroy},
	};
}
