package main

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/pulumi/esc"
	"github.com/pulumi/esc/ast"
	"github.com/pulumi/esc/eval"
	"github.com/pulumi/esc/syntax"
)

// result is what one evaluation came to. Values are the environment's, secrets revealed (what `esc open` shows
// its reader); Diagnostics are the evaluator's, where a refused call shows as ESC shows it.
type result struct {
	Values      map[string]any `json:"values"`
	Diagnostics []string       `json:"diagnostics"`
	Calls       []call         `json:"calls"`
	// Rotate only: each rotator's outcome, and the definition written back (secrets encrypted).
	Rotations  []rotation `json:"rotations,omitempty"`
	Definition string     `json:"definition,omitempty"`
}

type rotation struct {
	Path   string `json:"path"`
	Status string `json:"status"`
}

// many is the outcome of --repeat: one result per open.
type many struct {
	Runs []*result `json:"runs"`
}

// openOnce parses the definition and opens it, as Pulumi Cloud does on `esc open`.
func openOnce(ctx context.Context, c *caller, secrets *secretsKey, env string, source []byte) (*result, error) {
	decl, diags, err := parse(env, source)
	if err != nil {
		return nil, err
	}
	exec, err := execContext(c.claims)
	if err != nil {
		return nil, err
	}
	log := &calls{}
	opened, evalDiags := eval.EvalEnvironment(ctx, env, decl, secrets, loader{caller: c, log: log}, noImports{}, exec)
	return &result{Values: revealed(opened), Diagnostics: messages(append(diags, evalDiags...)), Calls: log.all()}, nil
}

// openMany opens the definition `repeat` times, `parallel` at once, each open parsing it afresh.
func openMany(ctx context.Context, c *caller, secrets *secretsKey, env string, source []byte, repeat, parallel int) (*many, error) {
	runs := make([]*result, repeat)
	errs := make([]error, repeat)
	slots := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i := range repeat {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			runs[i], errs[i] = openOnce(ctx, c, secrets, env, source)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return &many{Runs: runs}, nil
}

// rotateOnce rotates every rotator of the definition, as `esc env rotate` does, and answers the definition with the
// new state written back and its secrets encrypted (nil when no rotation succeeded).
func rotateOnce(ctx context.Context, c *caller, secrets *secretsKey, env string, source []byte) (*result, []byte, error) {
	decl, diags, err := parse(env, source)
	if err != nil {
		return nil, nil, err
	}
	exec, err := execContext(c.claims)
	if err != nil {
		return nil, nil, err
	}
	log := &calls{}
	rotated, outcome, evalDiags := eval.RotateEnvironment(ctx, env, decl, secrets, loader{caller: c, log: log}, noImports{}, exec, nil)
	out := &result{Values: revealed(rotated), Diagnostics: messages(append(diags, evalDiags...)), Calls: log.all()}
	for _, r := range outcome {
		out.Rotations = append(out.Rotations, rotation{Path: r.Path, Status: string(r.Status)})
	}
	patches := outcome.Patches()
	if len(patches) == 0 {
		return out, nil, nil
	}
	updated, err := eval.ApplyValuePatches(source, patches)
	if err != nil {
		return nil, nil, err
	}
	encrypted, err := eval.EncryptSecrets(ctx, env, updated, secrets)
	if err != nil {
		return nil, nil, err
	}
	out.Definition = string(encrypted)
	return out, encrypted, nil
}

// parse fails on a definition ESC itself would refuse to store: the tests' definitions must be valid.
func parse(env string, source []byte) (*ast.EnvironmentDecl, syntax.Diagnostics, error) {
	decl, diags, err := eval.LoadYAMLBytes(env, source)
	if err == nil && diags.HasErrors() {
		err = fmt.Errorf("%s: %s", env, strings.Join(messages(diags), "; "))
	}
	return decl, diags, err
}

// execContext is the context Pulumi Cloud evaluates in: who triggered it, in which organization and environment.
func execContext(who identity) (*esc.ExecContext, error) {
	root, err := esc.NewExecContext(map[string]esc.Value{
		"pulumi": esc.NewValue(map[string]esc.Value{
			"user":         esc.NewValue(map[string]esc.Value{"login": esc.NewValue(who.triggerUser)}),
			"organization": esc.NewValue(map[string]esc.Value{"login": esc.NewValue(who.org)}),
		}),
	})
	if err != nil {
		return nil, err
	}
	return root.CopyForEnv(who.env), nil
}

func revealed(env *esc.Environment) map[string]any {
	if env == nil {
		return nil
	}
	values := make(map[string]any, len(env.Properties))
	for key, value := range env.Properties {
		values[key] = value.ToJSON(false)
	}
	return values
}

func messages(diags syntax.Diagnostics) []string {
	out := make([]string, 0, len(diags))
	for _, d := range diags {
		out = append(out, d.Error())
	}
	return out
}
