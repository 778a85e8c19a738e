import {writeFileSync} from "node:fs";
import {availableParallelism, cpus} from "node:os";
import {join} from "node:path";
import {redact} from "../dist/provider";
import type {Figure} from "./support";

export interface Run {
	startedAt: Date;
	totalMs: number;
	figures: Figure[];
}

/** Pipes would end a table cell early. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function goalCell(goal: string | undefined, met: boolean | undefined): string {
	if (goal === undefined) return "";
	return `${goal} ${met ? "(met)" : "(MISSED)"}`;
}

export function markdown(run: Run): string {
	const lines = [
		"# pulumi-tfe-team-token benchmark",
		"",
		`Run ${run.startedAt.toISOString()}; node ${process.version}; ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "unknown model"}); `
			+ `total ${(run.totalMs / 1000).toFixed(1)} s. Local API on 127.0.0.1, port 0. Figures are measured, not asserted.`,
		"",
		"| # | Measure | Value | Goal |",
		"|---|---|---|---|",
		...run.figures.flatMap(figure => figure.rows.map(row =>
			`| ${figure.id} | ${cell(row.measure)} | ${cell(row.value)} | ${cell(goalCell(row.goal, row.met))} |`)),
		"",
		...run.figures.flatMap(figure => figure.notes.map(note => `- ${note}`)),
		"",
	];
	return lines.join("\n");
}

/**
 * Last line of defence for "no token is ever printed or written": every token this bench can meet, the local
 * API's admin tokens included, has the `<id>.atlasv1.<secret>` shape that `redact` replaces.
 */
function scrubbed(text: string): {text: string; found: boolean} {
	const clean = redact(text);
	return {text: clean, found: clean !== text};
}

/** Prints the table and, for a whole run (`write`), writes bench/results.md and bench/results.json. */
export function publish(run: Run, write = true): void {
	const md = scrubbed(markdown(run));
	const json = scrubbed(JSON.stringify({
		startedAt: run.startedAt.toISOString(),
		node: process.version,
		cpus: availableParallelism(),
		totalMs: Math.round(run.totalMs),
		figures: run.figures,
	}, null, 2));
	if (md.found || json.found) {
		console.error("bench: a token-shaped string reached the results and was redacted; that is a bug in the bench.");
	}
	process.stdout.write(md.text);
	if (!write) {
		console.log("\nA partial run (BENCH_ONLY): bench/results.md and bench/results.json left as they were.");
		return;
	}
	writeFileSync(join(__dirname, "results.md"), md.text);
	writeFileSync(join(__dirname, "results.json"), `${json.text}\n`);
	console.log(`\nWrote ${join("bench", "results.md")} and ${join("bench", "results.json")}.`);
}
