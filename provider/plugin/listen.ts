import {grpc, providerRpc} from "./sdk";

/*
 * How a provider plugin on Node.js serves: Pulumi's ResourceProvider service on a loopback port of the system's
 * choosing, the port the plugin then prints for the engine. Apart from the service, so the bench's do-nothing Node.js
 * plugin (tools/floor-provider-node) serves the same way without loading the engine's modules.
 */
export async function listen(service: object): Promise<{port: number; close(): void}> {
	const server = new grpc.Server({"grpc.max_receive_message_length": 400 * 1024 * 1024});
	server.addService(providerRpc.ResourceProviderService, service as never);
	const port = await new Promise<number>((resolve, reject) =>
		server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
	return {port, close: () => server.forceShutdown()};
}
