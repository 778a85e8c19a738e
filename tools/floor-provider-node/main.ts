/*
 * pulumi-resource-tfe-nodefloor, the bench's second floor (bench/plugins.ts, figures 13 and 14): the Go floor
 * (tools/floor-provider) on the bare Node.js runtime of the release archive. It answers the calls that one answers,
 * the same way, and does nothing else; and it runs on exactly what tfe-tokens runs on before it does any work: the
 * SDK's grpc-js and generated protobuf code (provider/plugin/sdk.ts), served as ours serves (provider/plugin/listen.ts),
 * bundled and started with the release's compile cache and flags (scripts/release/archives.ts). What its stack costs
 * over the Go floor's is the Node.js runtime's and that stack's, which no Node.js plugin can shed; what ours costs over
 * its stack is our own.
 */
import {randomBytes} from "node:crypto";
import {listen} from "../../provider/plugin/listen";
import {Empty, pluginProto, providerProto, type providerProtoTypes} from "../../provider/plugin/sdk";
import {NODE_FLOOR} from "./package";

const {name: NAME, version: VERSION} = NODE_FLOOR;

/** The Go floor's schema under this package's name: a TeamToken's inputs and outputs, so YAML checks the same program. */
const schema = JSON.stringify({
	name: NAME,
	version: VERSION,
	resources: {
		[`${NAME}:index:TeamToken`]: {
			inputProperties: {teamId: {type: "string"}, forceRegenerate: {type: "boolean"}},
			requiredInputs: ["teamId"],
			properties: {teamId: {type: "string"}, forceRegenerate: {type: "boolean"}, tokenId: {type: "string"}, token: {type: "string", secret: true}},
			required: ["teamId"],
		},
	},
});

type Callback<T> = (error: null, value: T) => void;
/** A unary call answered at once from its request. */
const answer = <Req, Res>(respond: (request: Req) => Res) => (call: {request: Req}, callback: Callback<Res>) => callback(null, respond(call.request));

function checked(request: providerProtoTypes.CheckRequest) {
	const response = new providerProto.CheckResponse();
	response.setInputs(request.getNews());
	return response;
}

const service = {
	getPluginInfo: answer(() => {
		const info = new pluginProto.PluginInfo();
		info.setVersion(VERSION);
		return info;
	}),
	getSchema: answer(() => {
		const response = new providerProto.GetSchemaResponse();
		response.setSchema(schema);
		return response;
	}),
	checkConfig: answer(checked),
	diffConfig: answer(() => new providerProto.DiffResponse()),
	configure: answer(() => {
		const response = new providerProto.ConfigureResponse();
		response.setAcceptsecrets(true);
		return response;
	}),
	check: answer(checked),
	diff: answer(() => {
		const response = new providerProto.DiffResponse();
		response.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_NONE);
		return response;
	}),
	create: answer((request: providerProtoTypes.CreateRequest) => {
		const response = new providerProto.CreateResponse();
		response.setId(`at-${randomBytes(8).toString("hex")}`);
		response.setProperties(request.getProperties());
		return response;
	}),
	read: answer((request: providerProtoTypes.ReadRequest) => {
		const response = new providerProto.ReadResponse();
		response.setId(request.getId());
		response.setProperties(request.getProperties());
		response.setInputs(request.getInputs());
		return response;
	}),
	delete: answer(() => new Empty()),
	cancel: answer(() => new Empty()),
};

/** The engine reads the port from the first line on stdout, as it does ours; the release's start script then saves the compile cache. */
export const started = listen(service).then(({port}) => {
	process.stdout.write(`${port}\n`);
}, (error: Error) => {
	console.error(`pulumi-resource-${NAME}: ${error.message}`);
	process.exit(1);
});
