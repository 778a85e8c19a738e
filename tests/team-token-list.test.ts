import test from "ava";
import type {ApiRequest, Http} from "../provider/api/http";
import {listTeamTokens} from "../provider/api/team-token-list";

/** An Http answering each page of the team-token list with one token, and a next page while `pages` lasts. */
function pagedHttp(pages: number): Http & {paths: string[]} {
	const paths: string[] = [];
	return {
		paths,
		async send(request: ApiRequest) {
			paths.push(request.path);
			const page = Number(/page%5Bnumber%5D=(\d+)/.exec(request.path)![1]);
			return {
				status: 200,
				body: {
					data: [{id: `at-page${page}`, attributes: {"created-at": "2026-01-01T00:00:00Z"}, relationships: {team: {data: {id: "team-abc1"}}}}],
					meta: {pagination: {"next-page": page < pages ? page + 1 : null}},
				},
			};
		},
	};
}

test("the organization's team tokens are read page after page, 100 a page, until there is no next page", async t => {
	const http = pagedHttp(3);
	const tokens = await listTeamTokens(http, "acme");
	t.deepEqual(tokens?.map(token => [token.id, token.teamId]), [["at-page1", "team-abc1"], ["at-page2", "team-abc1"], ["at-page3", "team-abc1"]]);
	t.deepEqual(http.paths, [1, 2, 3].map(page => `organizations/acme/team-tokens?page%5Bnumber%5D=${page}&page%5Bsize%5D=100`));
});

test("the walk stops after its default bound of 100 pages (10,000 tokens), naming it", async t => {
	const http = pagedHttp(Number.POSITIVE_INFINITY);
	await t.throwsAsync(listTeamTokens(http, "acme"), {message: "the organization acme lists more than 10000 team tokens"});
	t.is(http.paths.length, 100);
});

test("an organization that cannot be listed (404) has no list, and a bad name is refused before any request", async t => {
	t.is(await listTeamTokens({send: async () => ({status: 404, body: {}})}, "acme"), undefined);
	const http = pagedHttp(1);
	await t.throwsAsync(listTeamTokens(http, "../acme"), {name: "InvalidOrganizationError"});
	t.deepEqual(http.paths, []);
});
