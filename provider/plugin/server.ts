import {AsyncLocalStorage} from "node:async_hooks";
import {TfeConfigError} from "../api/errors";
import {resolveSettings, SETTING_NAMES, type StackConfig} from "../api/config";
import type {ProviderDependencies} from "../engine/crud";
import {UNKNOWN} from "../engine/inputs";
import {AUDIT_FUNCTION} from "./audit-schema";
import {PACKAGE, PLUGIN_VERSION, recordedKind} from "./package";
import {schemaText} from "./schema-text";
import {listen} from "./listen";
import {Empty, engineService, grpc, type grpcTypes, pluginProto, providerProto, type providerProtoTypes, Struct, type structTypes} from "./sdk";
import {unwrap, wrap} from "./wire";

/*
 * The provider plugin's gRPC service: the same engine as the dynamic provider, behind Pulumi's provider protocol.
 * Written against the SDK's generated definitions rather than its `provider.main()`, whose server neither hands the
 * configuration to the provider nor answers CheckConfig/DiffConfig.
 *
 * The engine (and the HTTP client under it) loads just after the port is printed (servePlugin), or on the first call
 * that needs it if that comes first, and the audit on its call: the CLI waits for the port before anything else,
 * and what loads after it overlaps the CLI's connecting.
 */
const dispatch = () => require("../policy/dispatch") as typeof import("../policy/dispatch");
const tokenAudit = () => require("../engine/token-audit") as typeof import("../engine/token-audit");

type Props = Record<string, unknown>;
type Callback<T> = (error: Partial<grpcTypes.ServiceError> | null, value?: T) => void;


/** A StackConfig over the provider's arguments, with the keys the engine's settings read. */
function stackConfig(args: Props): StackConfig {
	return {
		get(key) {
			const value = args[key.slice(PACKAGE.length + 1)];
			return value === undefined || value === null ? undefined : String(value);
		},
	};
}

/** Where a call's messages go: the resource's URN, so the CLI prints them with it. */
const currentUrn = new AsyncLocalStorage<string>();

/** Sends a warning to the engine's log, attached to the resource the current call is about. */
function engineLogger(engineAddress: string | undefined): (message: string) => void {
	if (!engineAddress) {
		return message => console.error(message);
	}
	let client: {log(request: unknown, done: (error: Error | null) => void): void} | undefined;
	return message => {
		const {rpc, proto} = engineService();
		client ??= new rpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
		const request = new proto.LogRequest();
		request.setSeverity(proto.LogSeverity.WARNING);
		request.setMessage(message);
		request.setUrn(currentUrn.getStore() ?? "");
		client.log(request, error => {
			if (error) {
				console.error(message);
			}
		});
	};
}

/** Runs one call: its failure becomes the gRPC error the engine prints, its value the response. */
function serve<Req extends object, Res>(handler: (request: Req) => Promise<Res>) {
	return (call: {request: Req}, callback: Callback<Res>) => {
		const urn = "getUrn" in call.request ? (call.request as {getUrn(): string}).getUrn() : "";
		currentUrn.run(urn, () => handler(call.request)).then(
			value => callback(null, value),
			(error: Error) => callback({code: grpc.status.UNKNOWN, details: error.message, message: error.message}),
		);
	};
}

/** The engine's values for one resource: secrets unwrapped, and the kind recorded as the dynamic classes do. */
function engineProps(urn: string, struct: structTypes.Struct | undefined) {
	const kind = recordedKind(urn);
	const {plain, secrets} = unwrap((struct?.toJavaScript() ?? {}) as Props);
	return {secrets, props: kind === undefined ? plain : {...plain, kind}};
}

/** A check's answer: the inputs to go on with, and why they are refused, if they are. */
function checkResponse(inputs: structTypes.Struct | undefined, failures: readonly {property: string; reason: string}[]) {
	const response = new providerProto.CheckResponse();
	response.setInputs(inputs);
	response.setFailuresList(failures.map(({property, reason}) => {
		const failure = new providerProto.CheckFailure();
		failure.setProperty(property);
		failure.setReason(reason);
		return failure;
	}));
	return response;
}

/** Outputs for the engine: the token always secret, and whatever came in secret still secret. */
const outputs = (outs: Props, secrets: Iterable<string>) => Struct.fromJavaScript(wrap(outs, ["token", ...secrets]) as never);

export function tokenProviderService(engineAddress: string | undefined, deps: ProviderDependencies = {}) {
	let loaded: ReturnType<ReturnType<typeof dispatch>["createProvider"]> | undefined;
	const engine = () => loaded ??= dispatch().createProvider({log: engineLogger(engineAddress), ...deps, namespace: PACKAGE});
	/** The provider's configuration, for the function, which runs outside the engine's resources. */
	let config: StackConfig | undefined;

	return {
		getPluginInfo: serve(async () => {
			const info = new pluginProto.PluginInfo();
			info.setVersion(PLUGIN_VERSION);
			return info;
		}),

		getSchema: serve(async () => {
			const response = new providerProto.GetSchemaResponse();
			response.setSchema(schemaText);
			return response;
		}),

		checkConfig: serve(async (request: providerProtoTypes.CheckRequest) => {
			const {plain} = unwrap((request.getNews()?.toJavaScript() ?? {}) as Props);
			const unknown = Object.keys(plain).find(key => !(SETTING_NAMES as readonly string[]).includes(key) && !key.startsWith("__") && key !== "version");
			const failures: {property: string; reason: string}[] = [];
			if (unknown) {
				failures.push({property: "", reason: `${PACKAGE}:${unknown}: not a setting of ${PACKAGE}; it takes ${SETTING_NAMES.join(", ")}.`});
			} else if (!Object.values(plain).includes(UNKNOWN)) {
				try {
					resolveSettings(stackConfig(plain), deps.env ?? process.env, PACKAGE);
				} catch (error) {
					if (!(error instanceof TfeConfigError)) {
						throw error;
					}
					failures.push({property: "", reason: error.message});
				}
			}
			// The inputs go back as they came, so the API token stays a secret in the provider's state.
			return checkResponse(request.getNews(), failures);
		}),

		diffConfig: serve(async (request: providerProtoTypes.DiffRequest) => {
			const olds = unwrap((request.getOldInputs() ?? request.getOlds())?.toJavaScript() as Props ?? {}).plain;
			const news = unwrap((request.getNews()?.toJavaScript() ?? {}) as Props).plain;
			const changed = SETTING_NAMES.filter(key => (olds[key] ?? null) !== (news[key] ?? null));
			// A new address or credential reaches the same tokens: the provider is updated, never replaced, so no
			// token is recreated because its credential was rotated.
			const response = new providerProto.DiffResponse();
			response.setChanges(changed.length > 0 ? providerProto.DiffResponse.DiffChanges.DIFF_SOME : providerProto.DiffResponse.DiffChanges.DIFF_NONE);
			response.setDiffsList([...changed]);
			return response;
		}),

		configure: serve(async (request: providerProtoTypes.ConfigureRequest) => {
			const args: Props = request.hasArgs()
				? unwrap(request.getArgs()!.toJavaScript() as Props).plain
				: Object.fromEntries([...request.getVariablesMap().entries()].map(([key, value]) => [key.replace(`${PACKAGE}:config:`, ""), value]));
			config = stackConfig(args);
			await engine().configure!({config} as never);
			const response = new providerProto.ConfigureResponse();
			response.setAcceptsecrets(true);
			response.setSupportspreview(false);
			return response;
		}),

		check: serve(async (request: providerProtoTypes.CheckRequest) => {
			const olds = engineProps(request.getUrn(), request.getOlds());
			const news = engineProps(request.getUrn(), request.getNews());
			const result = await engine().check(olds.props, news.props);
			return checkResponse(Struct.fromJavaScript(wrap(result.inputs ?? news.props, news.secrets) as never), result.failures ?? []);
		}),

		diff: serve(async (request: providerProtoTypes.DiffRequest) => {
			const olds = engineProps(request.getUrn(), request.getOlds());
			const news = engineProps(request.getUrn(), request.getNews());
			const result = await engine().diff(request.getId(), olds.props, news.props);
			const response = new providerProto.DiffResponse();
			response.setChanges(result.changes ? providerProto.DiffResponse.DiffChanges.DIFF_SOME : providerProto.DiffResponse.DiffChanges.DIFF_NONE);
			response.setReplacesList(result.replaces ?? []);
			response.setDeletebeforereplace(result.deleteBeforeReplace ?? false);
			return response;
		}),

		create: serve(async (request: providerProtoTypes.CreateRequest) => {
			const {props, secrets} = engineProps(request.getUrn(), request.getProperties());
			const result = await engine().create(props);
			const response = new providerProto.CreateResponse();
			response.setId(result.id);
			response.setProperties(outputs(result.outs, secrets));
			return response;
		}),

		read: serve(async (request: providerProtoTypes.ReadRequest) => {
			const {props, secrets} = engineProps(request.getUrn(), request.getProperties());
			const result = await engine().read(request.getId(), props);
			const response = new providerProto.ReadResponse();
			response.setId(result.id ?? "");
			response.setProperties(outputs(result.props ?? {}, secrets));
			const inputs = result.inputs ?? (request.getInputs()?.toJavaScript() as Props | undefined);
			if (inputs) {
				response.setInputs(Struct.fromJavaScript(inputs as never));
			}
			return response;
		}),

		update: serve(async (request: providerProtoTypes.UpdateRequest) => {
			const olds = engineProps(request.getUrn(), request.getOlds());
			const news = engineProps(request.getUrn(), request.getNews());
			const result = await engine().update(request.getId(), olds.props, news.props);
			const response = new providerProto.UpdateResponse();
			response.setProperties(outputs(result.outs ?? {}, [...olds.secrets, ...news.secrets]));
			return response;
		}),

		delete: serve(async (request: providerProtoTypes.DeleteRequest) => {
			const {props} = engineProps(request.getUrn(), request.getProperties());
			await engine().delete(request.getId(), props);
			return new Empty();
		}),

		invoke: serve(async (request: providerProtoTypes.InvokeRequest) => {
			if (request.getTok() !== AUDIT_FUNCTION) {
				throw new Error(`${PACKAGE} has no function ${JSON.stringify(request.getTok())}; it serves ${AUDIT_FUNCTION}.`);
			}
			const response = new providerProto.InvokeResponse();
			const {AuditArgumentError, runAudit} = tokenAudit();
			try {
				const args = unwrap((request.getArgs()?.toJavaScript() ?? {}) as Props).plain;
				const result = await runAudit(resolveSettings(config, deps.env ?? process.env, PACKAGE), args, {http: deps.http, now: deps.now?.()});
				response.setReturn(Struct.fromJavaScript(result as never));
			} catch (error) {
				if (!(error instanceof AuditArgumentError || error instanceof TfeConfigError)) {
					throw error;
				}
				const failure = new providerProto.CheckFailure();
				failure.setProperty(error instanceof AuditArgumentError ? error.field : "");
				failure.setReason(error.message);
				response.setFailuresList([failure]);
			}
			return response;
		}),

		cancel: serve(async () => new Empty()),
	};
}

/** Serves the plugin on a loopback port of the system's choosing. */
export function startPlugin(engineAddress: string | undefined, deps: ProviderDependencies = {}) {
	return listen(tokenProviderService(engineAddress, deps));
}

/**
 * Starts the plugin as the engine does: flags first (`--logtostderr`, `-v=9`, `--tracing <url>`), its own address
 * last. The port printed is how the engine finds the plugin.
 */
export async function servePlugin(args: readonly string[]): Promise<void> {
	const last = args.at(-1);
	const {port} = await startPlugin(last && !last.startsWith("-") && args.at(-2) !== "--tracing" ? last : undefined);
	process.stdout.write(`${port}\n`);
	// Every run's first calls need the engine: it loads while the engine reads the port and connects.
	await new Promise(resolve => setImmediate(resolve));
	dispatch();
}
