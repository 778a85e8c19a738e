// Command pulumi-resource-tfe-floor is the bench's floor (bench/plugin-ready.ts, bench/plugin-stack.ts): a provider
// plugin that answers every call tfe-tokens answers for a TeamToken and does nothing, written as a Go provider is,
// on the Pulumi Go SDK's provider.Main. What a stack of its resources costs is the engine's, the language host's and
// a Go plugin's share alone.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

const version = "0.0.1"

// One resource of a TeamToken's inputs and outputs, the token secret, so the YAML host type-checks the same program.
const schema = `{
  "name": "tfe-floor",
  "version": "` + version + `",
  "resources": {
    "tfe-floor:index:TeamToken": {
      "inputProperties": {"teamId": {"type": "string"}, "forceRegenerate": {"type": "boolean"}},
      "requiredInputs": ["teamId"],
      "properties": {
        "teamId": {"type": "string"}, "forceRegenerate": {"type": "boolean"},
        "tokenId": {"type": "string"}, "token": {"type": "string", "secret": true}
      },
      "required": ["teamId"]
    }
  }
}`

type floor struct {
	pulumirpc.UnimplementedResourceProviderServer
}

func (floor) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (floor) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: schema}, nil
}

func (floor) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (floor) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{}, nil
}

func (floor) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true}, nil
}

func (floor) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (floor) Diff(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (floor) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: "at-" + hex.EncodeToString(id), Properties: req.GetProperties()}, nil
}

func (floor) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (floor) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (floor) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func main() {
	err := provider.Main("tfe-floor", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return floor{}, nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
