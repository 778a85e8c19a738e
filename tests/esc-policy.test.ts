import test from "ava";
import {authorize, globMatches, parsePolicy} from "../provider/esc/policy";
import {parseDuration} from "../provider/esc/duration";

test("the issue's policy shape parses, JSON too", t => {
	const policy = parsePolicy(`
grants:
  - pulumiOrganization: acme
    environments: ["ci/*", "deploy/prod"]
    teams: [team-abc1]
    agentPools: [apool-xyz]
    organizationToken: my-tfe-org
    auditTrailToken: my-tfe-org
    userTokens: true
    maxTtl: 2h
`);
	t.is(policy.grants.length, 1);
	t.like(policy.grants[0], {pulumiOrganization: "acme", userTokens: true, maxTtlMs: 7_200_000, defaultTtlMs: 3_600_000});
	t.true(policy.grants[0]!.organizationTokens.has("my-tfe-org"));
	t.is(parsePolicy('{"grants": [{"pulumiOrganization": "a", "environments": ["**"]}]}').grants[0]!.maxTtlMs, 3_600_000);
});

test("a policy mistake names the field and what is allowed", t => {
	const cases: [string, RegExp][] = [
		["grants: [{pulumiOrganization: a, environments: ['ci/*'], teams: [team-1, bogus]}]", /grants\[0\]\.teams\[1\] must be team ids/],
		["grants: [{pulumiOrganization: a, environments: []}]", /grants\[0\]\.environments must list at least one glob/],
		["grants: [{pulumiOrganization: a, environments: ['ci']}]", /grants\[0\]\.environments\[0\] must be globs on <project>\/<env>/],
		["grants: [{environments: ['ci/*']}]", /grants\[0\]\.pulumiOrganization must be/],
		["grants: [{pulumiOrganization: a, environments: ['ci/*'], maxTtl: 2 hours}]", /grants\[0\]\.maxTtl must be a whole number followed by s, m, h or d/],
		["grants: [{pulumiOrganization: a, environments: ['ci/*'], maxTtl: 1h, defaultTtl: 2h}]", /defaultTtl \(2h\) must not exceed maxTtl \(1h\)/],
		["grants: [{pulumiOrganization: a, environments: ['ci/*'], team: [team-1]}]", /grants\[0\]\.team is not a grant field/],
		["grants: [{pulumiOrganization: a, environments: ['ci/*'], userTokens: yes please}]", /userTokens must be true or false/],
		["grant: []", /grant is not a policy field/],
		["grants: {}", /grants must be a list/],
		["grants: [", /not YAML or JSON/],
	];
	for (const [text, message] of cases) {
		t.throws(() => parsePolicy(text), {message}, text);
	}
});

test("globs on <project>/<env>: * stays within a part, ** matches all", t => {
	t.true(globMatches("ci/*", "ci/deploy"));
	t.false(globMatches("ci/*", "cid/deploy"));
	t.false(globMatches("ci/*", "prod/deploy"));
	t.true(globMatches("*/prod", "app/prod"));
	t.true(globMatches("ci/dep?oy", "ci/deploy"));
	t.false(globMatches("ci.x/*", "ciax/a"), "a dot is literal");
	t.true(globMatches("**", "any/thing"));
});

test("authorize picks the first grant that gives the token; none is a 403 naming organization, environment and token", t => {
	const policy = parsePolicy(`
grants:
  - {pulumiOrganization: acme, environments: ["ci/*"], teams: [team-a1], maxTtl: 10m}
  - {pulumiOrganization: acme, environments: ["**"], teams: [team-a1, team-b1], maxTtl: 2h}
`);
	t.is(authorize(policy, {org: "acme", environment: "ci/x"}, {kind: "team", teamId: "team-a1"}).maxTtlMs, 600_000);
	t.is(authorize(policy, {org: "acme", environment: "ci/x"}, {kind: "team", teamId: "team-b1"}).maxTtlMs, 7_200_000);
	t.throws(() => authorize(policy, {org: "acme", environment: "ci/x"}, {kind: "legacyTeam", teamId: "team-a1"}), {message: /no grant gives the legacy token of team team-a1 to environment ci\/x of Pulumi organization acme/});
	t.throws(() => authorize(policy, {org: "Acme", environment: "ci/x"}, {kind: "team", teamId: "team-a1"}), {message: /Pulumi organization Acme/});
});

test("durations", t => {
	t.is(parseDuration("15m"), 900_000);
	t.is(parseDuration("2d"), 172_800_000);
	for (const bad of ["0m", "1.5h", "1w", "15", "", 15, null]) t.is(parseDuration(bad), undefined, String(bad));
});
