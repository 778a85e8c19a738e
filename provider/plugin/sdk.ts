import {createRequire} from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineProtoTypes from "@pulumi/pulumi/proto/engine_pb";
import type * as engineRpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as pluginProtoTypes from "@pulumi/pulumi/proto/plugin_pb";
import type * as providerProtoTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as providerRpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";

/*
 * What the plugin's gRPC server runs on: the SDK's own copies of grpc-js, its generated protobuf code and
 * google-protobuf, so messages and their classes come from one place. The bundle of the release archives
 * (scripts/release/bundle.ts) resolves each `sdkRequire` here at build time, the same way.
 */
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi"));

export const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
export const providerRpc = sdkRequire("./proto/provider_grpc_pb") as typeof providerRpcTypes;
export const providerProto = sdkRequire("./proto/provider_pb") as typeof providerProtoTypes;
export const pluginProto = sdkRequire("./proto/plugin_pb") as typeof pluginProtoTypes;
export const {Struct} = sdkRequire("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
export const {Empty} = sdkRequire("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;

/** The engine's service, for log messages only: loaded when the first one is sent, not at start-up. */
export const engineService = () => ({
	rpc: sdkRequire("./proto/engine_grpc_pb") as typeof engineRpcTypes,
	proto: sdkRequire("./proto/engine_pb") as typeof engineProtoTypes,
});

export type {grpcTypes, providerProtoTypes, structTypes};
