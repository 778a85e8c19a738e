package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/esc"
	"github.com/pulumi/esc/eval"
	"github.com/pulumi/esc/schema"
)

// loader answers the evaluator's requests for providers and rotators: `external` only, as the evaluations under
// test name no other.
type loader struct {
	caller *caller
	log    *calls
}

func (l loader) LoadProvider(_ context.Context, name string) (esc.Provider, error) {
	if name != "external" {
		return nil, fmt.Errorf("unknown provider %q (this stand-in knows external only)", name)
	}
	return externalProvider(l), nil
}

func (l loader) LoadRotator(_ context.Context, name string) (esc.Rotator, error) {
	if name != "external" {
		return nil, fmt.Errorf("unknown rotator %q (this stand-in knows external only)", name)
	}
	return externalRotator(l), nil
}

// noImports refuses every import: the definitions under test stand alone.
type noImports struct{}

func (noImports) LoadEnvironment(_ context.Context, name string) ([]byte, eval.Decrypter, error) {
	return nil, nil, fmt.Errorf("environment %q: imports are not supported here", name)
}

// externalProvider is `fn::open::external`: inputs url, request, secret (default true); the body is `request`
// itself ({} when absent) and the answer is `response`.
type externalProvider loader

func (externalProvider) Schema() (inputs, outputs *schema.Schema) {
	inputs = schema.Object().Properties(schema.BuilderMap{
		"url":     schema.String(),
		"request": schema.Always(),
		"secret":  schema.Boolean(),
	}).Required("url").Schema()
	return inputs, schema.Always()
}

func (p externalProvider) Open(ctx context.Context, inputs map[string]esc.Value, _ esc.EnvExecContext) (esc.Value, error) {
	url, _ := inputs["url"].Value.(string)
	request := map[string]any{}
	if value, ok := inputs["request"]; ok && value.Value != nil {
		request = nil
		if err := roundTrip(value.ToJSON(false), &request); err != nil || request == nil {
			return esc.Value{}, errors.New("external: request must be an object")
		}
	}
	response, err := loader(p).exchange(ctx, url, request)
	if err != nil {
		return esc.Value{}, err
	}
	output := esc.NewValue(map[string]esc.Value{"response": response})
	if secret, ok := inputs["secret"].Value.(bool); !ok || secret {
		output = output.MakeSecret()
	}
	return output, nil
}

// externalRotator is `fn::rotate::external`: inputs url and request; the body is {"request", "state"} where state is
// the adapter's last answer (null at first), and that answer, secret, is `current`.
type externalRotator loader

func (externalRotator) Schema() (inputs, state, outputs *schema.Schema) {
	inputs = schema.Object().Properties(schema.BuilderMap{
		"url":     schema.String(),
		"request": schema.Always(),
	}).Required("url").Schema()
	// An object: the evaluator admits null besides, and exactly one of the two must match.
	state = schema.Object().AdditionalProperties(schema.Always()).Schema()
	return inputs, state, schema.Always()
}

func (externalRotator) Open(_ context.Context, _, state map[string]esc.Value, _ esc.EnvExecContext) (esc.Value, error) {
	current, ok := state["current"]
	if !ok {
		current = esc.Value{}
	}
	return esc.NewValue(map[string]esc.Value{"current": current.MakeSecret()}), nil
}

func (r externalRotator) Rotate(ctx context.Context, inputs, state map[string]esc.Value, _ esc.EnvExecContext) (esc.Value, error) {
	url, _ := inputs["url"].Value.(string)
	var previous any
	if current, ok := state["current"]; ok {
		previous = current.ToJSON(false)
	}
	var request any = map[string]any{}
	if value, ok := inputs["request"]; ok && value.Value != nil {
		request = value.ToJSON(false)
	}
	current, err := loader(r).exchange(ctx, url, map[string]any{"request": request, "state": previous})
	if err != nil {
		return esc.Value{}, err
	}
	// The state's top level stays a plain object: a secret one would be written back as fn::fromJSON, which the next
	// parse refuses as a rotation state.
	return esc.NewValue(map[string]esc.Value{"current": current.MakeSecret()}), nil
}

// exchange posts payload to url as ESC does and reads the adapter's answer back as an ESC value.
func (l loader) exchange(ctx context.Context, url string, payload any) (esc.Value, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return esc.Value{}, err
	}
	answer, err := l.caller.post(ctx, l.log, url, body)
	if err != nil {
		return esc.Value{}, err
	}
	return esc.FromJSON(answer)
}

// roundTrip converts a plain JSON value (json.Number and all) into out through its encoding.
func roundTrip(value any, out any) error {
	encoded, err := json.Marshal(value)
	if err != nil {
		return err
	}
	return json.Unmarshal(encoded, out)
}
