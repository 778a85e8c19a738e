import type {ScaleSeries} from "./scale";

/*
 * Runs that more than one figure reads, kept so that the slowest ones happen once per bench run: the engine-floor
 * figure's 1,000-token stack also gives the scale figure its unlimited series, and its 50-token stack the state
 * breakdown. A figure run alone (BENCH_ONLY) finds nothing here and measures its own.
 */
export const sharedRuns: {
	/** up, preview, refresh, destroy of 1,000 TeamTokens on an API without a rate limit. */
	unlimitedScale?: ScaleSeries;
	/** `pulumi stack export` of a stack of TeamTokens that exports nothing, and its state file's sizes. */
	stateSample?: StateSample;
} = {};

export interface StateSample {
	count: number;
	exported: string;
	stateFileBytes: number;
	emptyStateFileBytes: number;
}
