import type {ApiRequest} from "./http";
import {InvalidOrganizationError, validOrganizationName} from "./validation";

/**
 * Paged JSON:API lists (`page[number]`, `page[size]`, `meta.pagination`). Every list this package walks asks for the
 * most the API serves per page, so an organization's thousands of tokens cost as few requests as they can.
 */

/** The largest `page[size]` the API accepts. */
export const MAX_PAGE_SIZE = 100;

/**
 * Pages of one list requested at once once the first answer has said how many there are. The HTTP client paces every
 * request to the rate limit, so this only hides the round trip: with it, a walk takes as long as the limit allows
 * rather than pages times the latency.
 */
export const LIST_CONCURRENCY = 8;

/** One page as the API answers it. */
export interface ListPage<T> {
	items: T[];
	currentPage: number;
	/** The page after this one; null on the last. */
	nextPage: number | null;
	totalPages: number | null;
}

type Pagination = {"current-page"?: unknown; "next-page"?: unknown; "total-pages"?: unknown};

const wholeNumber = (value: unknown): number | null => (Number.isSafeInteger(value) && (value as number) > 0 ? value as number : null);

/** Reads a list document; items are handed to `toItem` as the API wrote them. */
export function toListPage<T>(body: unknown, page: number, toItem: (data: never) => T): ListPage<T> {
	const list = body as {data?: unknown; meta?: {pagination?: Pagination}} | undefined;
	const pagination = list?.meta?.pagination ?? {};
	return {
		items: Array.isArray(list?.data) ? list.data.map(data => toItem(data as never)) : [],
		currentPage: wholeNumber(pagination["current-page"]) ?? page,
		nextPage: wholeNumber(pagination["next-page"]),
		totalPages: wholeNumber(pagination["total-pages"]),
	};
}

/**
 * Every item of a paged list. Page 1 says how many pages there are; the rest are fetched `LIST_CONCURRENCY` at a
 * time, then `next-page` is followed from the last one, in case the list grew during the walk. A `next-page` that
 * does not move forward ends the walk, so a misbehaving server cannot keep it going. `fetchPage` answers undefined
 * when the list is gone (a 404), which ends it too. `firstPage`, when the caller has read page 1 already, is used
 * instead of reading it again. A list that changes while it is read can repeat or skip an item
 * (the API has no snapshot); callers deduplicate by id.
 */
export async function everyPage<T>(fetchPage: (page: number) => Promise<ListPage<T> | undefined>, firstPage?: ListPage<T>): Promise<T[]> {
	const first = firstPage ?? await fetchPage(1);
	if (first === undefined) {
		return [];
	}
	const pages = new Map<number, ListPage<T>>([[1, first]]);
	const total = first.nextPage === null ? 1 : Math.max(first.totalPages ?? 1, first.nextPage);
	let next = 2;
	const worker = async () => {
		while (next <= total) {
			const number = next++;
			const page = await fetchPage(number);
			if (page !== undefined) {
				pages.set(number, page);
			}
		}
	};
	await Promise.all(Array.from({length: Math.min(LIST_CONCURRENCY, total - 1)}, worker));
	let last = pages.get(total);
	while (last?.nextPage != null && last.nextPage > last.currentPage) {
		const number: number = last.nextPage;
		last = await fetchPage(number);
		if (last !== undefined) {
			pages.set(number, last);
		}
	}
	return [...pages.keys()].sort((a, b) => a - b).flatMap(number => pages.get(number)!.items);
}

/** A list option refused before any request, naming the option and what it accepts. */
export class InvalidListOptionError extends Error {
	override name = "InvalidListOptionError";
	constructor(readonly option: string, expected: string, got: unknown) {
		super(`invalid value for ${option}: expected ${expected}; got ${JSON.stringify(got) ?? String(got)}`);
	}
}

/** `page[number]` and `page[size]` as go-tfe's `ListOptions` takes them; unset ones are left to the server. */
export interface PageOptions {
	/** From 1. */
	pageNumber?: number;
	/** 1 to 100. */
	pageSize?: number;
}

/** The page options as query parameters, refused when out of range. */
export function pageParameters(options: PageOptions, query: URLSearchParams): void {
	const {pageNumber, pageSize} = options;
	if (pageNumber !== undefined) {
		if (!Number.isSafeInteger(pageNumber) || pageNumber < 1) {
			throw new InvalidListOptionError("pageNumber", "a whole number from 1", pageNumber);
		}
		query.set("page[number]", String(pageNumber));
	}
	if (pageSize !== undefined) {
		if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw new InvalidListOptionError("pageSize", `a whole number from 1 to ${MAX_PAGE_SIZE}`, pageSize);
		}
		query.set("page[size]", String(pageSize));
	}
}

/**
 * A `GET` of one of the organization's lists. A 404 would otherwise come back as an answer (reads treat "gone" as
 * one); for a list it means the organization is not there for this credential, which the caller cannot go on from.
 */
export function organizationList(organization: string, suffix: string): ApiRequest {
	if (!validOrganizationName(organization)) {
		throw new InvalidOrganizationError();
	}
	return {
		method: "GET",
		path: `organizations/${organization}/${suffix}`,
		idempotent: true,
		notFoundHint: `Organization ${organization} does not exist, or the API token has no access to it (the API answers 404 for both).`,
		notFoundIsError: true,
	};
}
