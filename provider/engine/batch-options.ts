import type {Http} from "../api/http";
import type {GatherOptions} from "./gatherer";

/**
 * Gathered reads of one owner (an organization's team tokens, an agent pool's, a user's), at or above which its list
 * is taken (when none is fresh): `GET /organizations` and a page per hundred tokens cost at least three requests, so
 * fewer calls are cheaper one request each, as a stack of one is.
 */
export const LIST_THRESHOLD = 4;

/**
 * Calls of a kind (reads, revocations) that go at once on their own before a run's others are gathered, where the
 * API limits the rate. Gathering waits for the calls the engine has yet to start, and takes a request to find the
 * organizations: for a stack of ten or fewer, one request each is sooner (a destroy of 10 tokens gathered took
 * 1.1-1.2 s against 0.6 s for the engine's floor), and ten fit in a third of HCP Terraform's one-second window of
 * 30, so they never wait for it. A larger run gathers the rest, which keeps a destroy of 1,000 at --parallel 64 to
 * these ten, one request for the organizations and one per batch. Against an API without a limit nothing is
 * gathered: nothing would wait.
 */
export const SINGLES = 10;

/** Knobs for tests; the defaults are GATHER_DEFAULTS, SINGLES and the monotonic clock. */
export interface BatchOptions {
	gather?: Partial<Omit<GatherOptions, "max">>;
	/** SINGLES unless given; 0 gathers every call, limit or not. */
	singles?: number;
	clock?: () => number;
}

/** Counts one credential's calls of one kind, and tells from which one on gathering them pays. */
export class GatherGate {
	private calls = 0;

	constructor(private readonly singles: number = SINGLES) {}

	/** Whether this call is to be gathered: past the first `singles`, against an API that limits the rate. */
	pays(http: Http): boolean {
		this.calls++;
		return this.singles === 0 || (this.calls > this.singles && (http.limited?.() ?? false));
	}
}
