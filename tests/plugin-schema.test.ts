import test from "ava";
import {resolve} from "node:path";
import * as ts from "typescript";
import {kindOf} from "../provider/kinds";
import {teamKind} from "../provider/kinds/team";
import {PACKAGE, PLUGIN_VERSION} from "../provider/plugin/package";
import {schema} from "../provider/plugin/schema";
import {POLICY_INPUTS} from "../provider/policy/inputs";
import {AUDIT_ARG_NAMES} from "../provider/engine/token-audit";

/*
 * One set of fields, three places: the TypeScript classes users of the dynamic provider write (their Args and
 * Output fields, read with the compiler), the plugin's schema, and the inputs the engine accepts per kind.
 */
const program = ts.createProgram([resolve(__dirname, "..", "provider", "index.ts")], {strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS});
const checker = program.getTypeChecker();
const index = checker.getSymbolAtLocation(program.getSourceFile(resolve(__dirname, "..", "provider", "index.ts"))!)!;
const exported = new Map(checker.getExportsOfModule(index).map(symbol => [symbol.name, symbol]));

function namesOf(type: ts.Type): Set<string> {
	return new Set(checker.getPropertiesOfType(type).map(p => p.name));
}

function exportedType(name: string): ts.Type {
	const symbol = exported.get(name);
	if (!symbol) {
		throw new Error(`provider/index.ts does not export ${name}`);
	}
	const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
	return checker.getDeclaredTypeOfSymbol(target);
}

/** The members every custom resource has (urn, id, ...): not fields of ours. */
const RESOURCE_MEMBERS = (() => {
	const base = checker.getBaseTypes(exportedType("AgentToken") as ts.InterfaceType)[0]!;
	return namesOf(base);
})();

const sorted = (names: Iterable<string>) => [...names].sort();

const CASES = [
	{resource: "TeamToken", args: "TeamTokenArgs", kind: undefined},
	{resource: "OrganizationToken", args: "OrganizationTokenArgs", kind: "organization"},
	{resource: "AuditTrailToken", args: "OrganizationTokenArgs", kind: "audit-trail"},
	{resource: "AgentToken", args: "AgentTokenArgs", kind: "agent"},
	{resource: "UserToken", args: "UserTokenArgs", kind: "user"},
];

for (const {resource, args, kind} of CASES) {
	test(`${resource}: the schema names the inputs and outputs of the TypeScript class and the engine`, t => {
		const declared = (schema.resources as Record<string, {inputProperties: object; properties: object; requiredInputs: string[]}>)[`${PACKAGE}:index:${resource}`];
		t.truthy(declared, `schema has no ${resource}`);
		const argsType = exportedType(args);
		t.deepEqual(sorted(Object.keys(declared!.inputProperties)), sorted(namesOf(argsType)), "inputs: schema vs Args");
		t.deepEqual(sorted(Object.keys(declared!.inputProperties)), sorted(kindOf(kind === undefined ? {} : {kind}).inputNames), "inputs: schema vs engine");
		const required = checker.getPropertiesOfType(argsType).filter(p => !(p.flags & ts.SymbolFlags.Optional)).map(p => p.name);
		t.deepEqual(sorted(declared!.requiredInputs), sorted(required), "required inputs: schema vs Args");
		const outputs = [...namesOf(exportedType(resource))].filter(name => !RESOURCE_MEMBERS.has(name));
		t.deepEqual(sorted(Object.keys(declared!.properties)), sorted(outputs), "outputs: schema vs class");
	});
}

test("TokenLifetimePolicy: the schema names the inputs and outputs of the TypeScript class and the policy's engine", t => {
	const declared = (schema.resources as Record<string, {inputProperties: object; properties: object; requiredInputs: string[]}>)[`${PACKAGE}:index:TokenLifetimePolicy`];
	t.truthy(declared, "schema has no TokenLifetimePolicy");
	const argsType = exportedType("TokenLifetimePolicyArgs");
	t.deepEqual(sorted(Object.keys(declared!.inputProperties)), sorted(namesOf(argsType)), "inputs: schema vs Args");
	t.deepEqual(sorted(Object.keys(declared!.inputProperties)), sorted(POLICY_INPUTS), "inputs: schema vs engine");
	const required = checker.getPropertiesOfType(argsType).filter(p => !(p.flags & ts.SymbolFlags.Optional)).map(p => p.name);
	t.deepEqual(sorted(declared!.requiredInputs), sorted(required), "required inputs: schema vs Args");
	const outputs = [...namesOf(exportedType("TokenLifetimePolicy"))].filter(name => !RESOURCE_MEMBERS.has(name));
	t.deepEqual(sorted(Object.keys(declared!.properties)), sorted(outputs), "outputs: schema vs class");
});

test("the classes' base members are told apart from their fields", t => {
	t.true(RESOURCE_MEMBERS.has("urn") && RESOURCE_MEMBERS.has("id"));
	t.is(kindOf({}), teamKind);
});

test("auditTokens: the schema function names the TypeScript function's arguments and results, and the engine's", t => {
	type Fields = {properties: Record<string, unknown>; required: string[]};
	const declared = (schema.functions as Record<string, {inputs: Fields; outputs: Fields}>)[`${PACKAGE}:index:auditTokens`]!;
	const types = schema.types as Record<string, Fields>;
	const argsType = exportedType("AuditTokensArgs");
	t.deepEqual(sorted(Object.keys(declared.inputs.properties)), sorted(namesOf(argsType)), "inputs: schema vs Args");
	t.deepEqual(sorted(Object.keys(declared.inputs.properties)), sorted(AUDIT_ARG_NAMES), "inputs: schema vs engine");
	const required = checker.getPropertiesOfType(argsType).filter(p => !(p.flags & ts.SymbolFlags.Optional)).map(p => p.name);
	t.deepEqual(sorted(declared.inputs.required), sorted(required), "required inputs");
	const resultType = exportedType("AuditTokensResult");
	t.deepEqual(sorted(Object.keys(declared.outputs.properties)), sorted(namesOf(resultType)), "outputs: schema vs result");
	const tokenType = exportedType("AuditedToken");
	t.deepEqual(sorted(Object.keys(types[`${PACKAGE}:index:AuditedToken`]!.properties)), sorted(namesOf(tokenType)), "a token: schema vs AuditedToken");
	const counts = checker.getTypeOfSymbol(checker.getPropertyOfType(resultType, "counts")!);
	t.deepEqual(sorted(Object.keys(types[`${PACKAGE}:index:AuditCounts`]!.properties)), sorted(namesOf(counts)), "counts");
	const requiredOf = (type: ts.Type) => sorted(checker.getPropertiesOfType(type).filter(p => !(p.flags & ts.SymbolFlags.Optional)).map(p => p.name));
	t.deepEqual(sorted(types[`${PACKAGE}:index:AuditedToken`]!.required), requiredOf(tokenType), "a token's required fields");
});

test("the schema sends the engine to the GitHub releases of the repository package.json names, at package.json's version", t => {
	const {repository, version} = require("../package.json") as {repository: {url: string}; version: string};
	// npm's form: git+https://github.com/<owner>/<repo>.git
	const [, owner, repo] = /^git\+https:\/\/github\.com\/([^/]+)\/([^/]+?)\.git$/.exec(repository.url) ?? [];
	t.truthy(owner && repo, `package.json repository.url is not a GitHub repository: ${repository.url}`);
	t.is(schema.pluginDownloadURL, `github://api.github.com/${owner}/${repo}`);
	t.is(schema.repository, `https://github.com/${owner}/${repo}`);
	t.is(schema.version, version);
	t.is(PLUGIN_VERSION, version);
});
