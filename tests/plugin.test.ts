import test, {type ExecutionContext} from "ava";
import {createRequire} from "node:module";
import {start} from "../provider/local-api";
import {startPlugin} from "../provider/plugin/server";
import {authenticates} from "./helpers";
import {scratchDir} from "./scratch";

/*
 * The provider plugin spoken to as the engine speaks to it: gRPC calls with Pulumi's encoding of secrets, against
 * the local API. What the engine does with the answers is proven by the e2e tests through the real CLI.
 */
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi"));
const grpc = sdkRequire("@grpc/grpc-js");
const rpc = sdkRequire("./proto/provider_grpc_pb");
const proto = sdkRequire("./proto/provider_pb");
const {Struct} = sdkRequire("google-protobuf/google/protobuf/struct_pb");

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({[SIG]: SECRET, value});
const urn = (type: string, name = "t") => `urn:pulumi:dev::p::tfe-tokens:index:${type}::${name}`;

type Props = Record<string, any>;

async function setup(t: ExecutionContext, env: Props = {}) {
	const api = await start({teams: ["team-abc1"], agentPools: ["apool-abc1"], organization: "acme"});
	t.teardown(() => api.close());
	const logs: string[] = [];
	const plugin = await startPlugin(undefined, {env: {HOME: scratchDir("home"), ...env}, http: {sleep: async () => {}}, log: message => logs.push(message)});
	t.teardown(() => plugin.close());
	const client = new rpc.ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
	t.teardown(() => client.close());
	const call = <T>(method: string, request: unknown) => new Promise<T>((resolve, reject) =>
		client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
	const configure = (args: Props) => {
		const request = new proto.ConfigureRequest();
		request.setArgs(Struct.fromJavaScript(args));
		request.setAcceptsecrets(true);
		return call("configure", request);
	};
	const crud = {
		async check(type: string, news: Props) {
			const request = new proto.CheckRequest();
			request.setUrn(urn(type));
			request.setOlds(Struct.fromJavaScript({}));
			request.setNews(Struct.fromJavaScript(news));
			const response: any = await call("check", request);
			return {inputs: response.getInputs().toJavaScript() as Props, failures: response.getFailuresList().map((f: any) => f.getReason()) as string[]};
		},
		async create(type: string, inputs: Props) {
			const request = new proto.CreateRequest();
			request.setUrn(urn(type));
			request.setProperties(Struct.fromJavaScript(inputs));
			const response: any = await call("create", request);
			return {id: response.getId() as string, outs: response.getProperties().toJavaScript() as Props};
		},
		async read(type: string, id: string, props: Props = {}) {
			const request = new proto.ReadRequest();
			request.setUrn(urn(type));
			request.setId(id);
			request.setProperties(Struct.fromJavaScript(props));
			const response: any = await call("read", request);
			return {id: response.getId() as string, props: response.getProperties().toJavaScript() as Props, inputs: response.getInputs()?.toJavaScript() as Props};
		},
		async delete(type: string, id: string, props: Props) {
			const request = new proto.DeleteRequest();
			request.setUrn(urn(type));
			request.setId(id);
			request.setProperties(Struct.fromJavaScript(props));
			await call("delete", request);
		},
		async checkConfig(news: Props) {
			const request = new proto.CheckRequest();
			request.setUrn("urn:pulumi:dev::p::pulumi:providers:tfe-tokens::default");
			request.setOlds(Struct.fromJavaScript({}));
			request.setNews(Struct.fromJavaScript(news));
			const response: any = await call("checkConfig", request);
			return response.getFailuresList().map((f: any) => f.getReason()) as string[];
		},
	};
	return {api, call, configure, logs, ...crud};
}

test("the schema marks the token secret and describes every property", async t => {
	const {call} = await setup(t);
	const response: any = await call("getSchema", new proto.GetSchemaRequest());
	const schema = JSON.parse(response.getSchema());
	t.is(schema.name, "tfe-tokens");
	t.deepEqual(Object.keys(schema.resources).sort(), ["AgentToken", "AuditTrailToken", "OrganizationToken", "TeamToken", "TokenLifetimePolicy", "UserToken"].map(r => `tfe-tokens:index:${r}`));
	for (const [type, resource] of Object.entries<any>(schema.resources)) {
		// Every resource but the TTL policy is a token, and has its value as a secret.
		t.is(resource.properties.token?.secret, type.endsWith(":TokenLifetimePolicy") ? undefined : true, type);
		for (const [name, property] of Object.entries<any>({...resource.inputProperties, ...resource.properties})) {
			t.true(typeof property.description === "string" && property.description.length > 20, `${type}.${name}`);
		}
	}
	t.true(schema.config.variables.token.secret);
});

test("the configuration is checked under the plugin's own names, and the API token never echoed", async t => {
	const {checkConfig} = await setup(t);
	t.deepEqual(await checkConfig({hostname: "https://tfe.example.com/api/v2", token: secret("x.atlasv1.secretsecretsecret")}).then(f => f.length), 1);
	const [noToken] = await checkConfig({hostname: "127.0.0.1:1"});
	t.regex(noToken!, /pulumi config set --secret tfe-tokens:token/);
	const [unknown] = await checkConfig({hostnme: "x", token: "y"});
	t.regex(unknown!, /tfe-tokens:hostnme: not a setting of tfe-tokens; it takes hostname, token, sslSkipVerify/);
});

test("a legacy TeamToken: created with its token secret, read, imported without a value, revoked", async t => {
	const {api, configure, check, create, read, delete: destroy, logs} = await setup(t);
	await configure({hostname: api.url, token: secret(api.adminToken)});
	const checked = await check("TeamToken", {teamId: "team-abc1"});
	t.deepEqual(checked.failures, []);
	t.false("kind" in checked.inputs, "TeamToken records no kind, as its dynamic state");
	const {id, outs} = await create("TeamToken", checked.inputs);
	t.is(id, "team-abc1");
	t.is(outs.token[SIG], SECRET);
	t.true(await authenticates(api, outs.token.value));
	const state = {...outs, token: outs.token};
	t.is((await read("TeamToken", id, state)).id, "team-abc1");

	const imported = await read("TeamToken", "team-abc1");
	t.is(imported.id, "team-abc1");
	t.deepEqual(imported.inputs, {teamId: "team-abc1"});
	t.is(imported.props.tokenId, outs.tokenId);
	t.false("token" in imported.props);
	t.regex(logs.join("\n"), new RegExp(`imported ${outs.tokenId} of team team-abc1 without its value: .* no \`token\` output\\. To have one, add or change a \`triggers\` value`));

	await destroy("TeamToken", id, state);
	t.false(await authenticates(api, outs.token.value));
});

test("every kind imports by the id its resource has, and a wrong id names the ids allowed", async t => {
	const {api, configure, check, create, read} = await setup(t);
	await configure({hostname: api.url, token: secret(api.adminToken)});
	const cases: [string, Props, (outs: Props, id: string) => string, Props][] = [
		["TeamToken", {teamId: "team-abc1", description: "ci"}, outs => outs.tokenId, {teamId: "team-abc1", description: "ci"}],
		["OrganizationToken", {organization: "acme"}, (_outs, id) => id, {kind: "organization", organization: "acme"}],
		["AuditTrailToken", {organization: "acme"}, (_outs, id) => id, {kind: "audit-trail", organization: "acme"}],
		["AgentToken", {agentPoolId: "apool-abc1", description: "runners"}, outs => outs.tokenId, {kind: "agent", agentPoolId: "apool-abc1", description: "runners"}],
	];
	for (const [type, inputs, importId, expected] of cases) {
		const created = await create(type, (await check(type, inputs)).inputs);
		const imported = await read(type, importId(created.outs, created.id));
		t.is(imported.id, created.id, type);
		t.deepEqual(imported.inputs, expected, type);
		t.is(imported.props.tokenId, created.outs.tokenId, type);
		t.false("token" in imported.props, type);
	}
	// A user token's owner is the credential's user, filled in by check.
	const user = await create("UserToken", (await check("UserToken", {description: "ci"})).inputs);
	const adopted = await read("UserToken", user.outs.tokenId);
	t.is(adopted.id, user.outs.tokenId);
	t.deepEqual(adopted.inputs, {kind: "user", userId: user.outs.userId, description: "ci"});
	await t.throwsAsync(read("AgentToken", "apool-abc1"), {message: /AgentToken cannot import "apool-abc1": give the token id \(at-\.\.\.\)/});
	await t.throwsAsync(read("TeamToken", "at-nosuchtoken1"), {message: /TeamToken at-nosuchtoken1: no such token/});
});

test("stack configuration reaches the engine: a wrong token fails the check and the create, naming the plugin's setting, never the token", async t => {
	const {api, call, check, create} = await setup(t);
	const request = new proto.ConfigureRequest();
	request.getVariablesMap().set("tfe-tokens:config:hostname", api.url);
	request.getVariablesMap().set("tfe-tokens:config:token", "wrong.atlasv1.notavalidtokenatall");
	await call("configure", request);
	const checked = await check("TeamToken", {teamId: "team-abc1"});
	t.regex(checked.failures.join("\n"), /the API token \(from stack config tfe-tokens:token\) was rejected .*answered 401/);
	const error = await t.throwsAsync(create("TeamToken", checked.inputs));
	t.regex(error!.message, /401.*pulumi config set --secret tfe-tokens:token/);
	t.notRegex(`${error!.message}${checked.failures.join("")}`, /notavalidtokenatall/);
});

test("an explicit provider whose arguments are not known yet (a preview) checks its resources' inputs alone", async t => {
	const {api, configure, check} = await setup(t);
	await configure({hostname: api.url, token: "04da6b54-80e4-46f7-96ec-b56ff0331ba9"});
	t.deepEqual((await check("TeamToken", {teamId: "team-abc1"})).failures, []);
	t.deepEqual((await check("TeamToken", {teamId: "team-"})).failures.map(f => f.split(":")[0]), ["teamId"]);
	t.deepEqual(api.requests(), []);
});

test("inputs that are almost certainly mistakes fail the plugin's check too, each naming its field", async t => {
	const {api, configure, check} = await setup(t);
	await configure({hostname: api.url, token: api.adminToken});
	const fields = async (news: Record<string, unknown>) => (await check("TeamToken", {teamId: "team-abc1", ...news})).failures.map(f => f.split(":")[0]);
	t.deepEqual(await fields({expiresInDays: 36_500}), ["expiresInDays"]);
	t.deepEqual(await fields({expiredAt: "9999-12-31T00:00:00Z"}), ["expiredAt"]);
	t.deepEqual(await fields({description: "ci\u0000"}), ["description"]);
	t.deepEqual(await fields({token: "given", tokenId: "at-given"}), ["token", "tokenId"]);
	t.deepEqual(await fields({description: "ci", expiresInDays: 3650}), []);
});

test("Invoke auditTokens: the organization's tokens from the provider's configuration, bad arguments as failures naming the field", async t => {
	const {api, call, configure} = await setup(t);
	api.plantTokens([{owner: "team-abc1", description: "old", expiredAt: "2001-01-01T00:00:00Z"}, {owner: "apool-abc1", description: "runners", expiredAt: null}]);
	await configure({hostname: api.url, token: secret(api.adminToken)});
	const invoke = async (args: Props, tok = "tfe-tokens:index:auditTokens") => {
		const request = new proto.InvokeRequest();
		request.setTok(tok);
		request.setArgs(Struct.fromJavaScript(args));
		const response: any = await call("invoke", request);
		return {result: response.getReturn()?.toJavaScript() as Props | undefined, failures: response.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()])};
	};
	const {result, failures} = await invoke({organization: "acme"});
	t.deepEqual(failures, []);
	t.deepEqual(result!.tokens.map((token: Props) => [token.kind, token.status, token.description]), [["team", "expired", "old"], ["agent", "never-expires", "runners"]]);
	t.is(result!.counts.total, 2);
	t.false(JSON.stringify(result).includes(".atlasv1."));
	const refused = await invoke({organization: "acme", expiringWithinDays: -1});
	t.is(refused.result, undefined);
	t.deepEqual(refused.failures, [["expiringWithinDays", "expiringWithinDays: expected a whole number of days from 1 to 36500; got -1."]]);
	await t.throwsAsync(invoke({}, "tfe-tokens:index:nothing"), {message: /no function "tfe-tokens:index:nothing"/});
});
