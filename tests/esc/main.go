// Command esc-eval stands in for Pulumi Cloud where ESC calls an adapter: it evaluates environment definitions with
// ESC's own evaluator (github.com/pulumi/esc), and answers the evaluator's `external` provider and rotator with
// HTTPS POSTs signed as Pulumi Cloud signs them, with keys of its own. The caller in Pulumi Cloud is closed source;
// this one follows the protocol as Pulumi documents it (docs/esc.md, "What Pulumi's docs leave open").
//
//	esc-eval keys --dir DIR
//	    writes a self-signed TLS certificate and key for 127.0.0.1 (tls-cert.pem, tls-key.pem; the certificate is
//	    its own CA), the RSA key that signs JWTs with its JWKS (signing-key.pem, jwks.json), a second RSA key that
//	    the JWKS does not hold (other-key.pem) and the key that encrypts secrets in definitions (secrets.key)
//	esc-eval open --definition FILE --env PROJECT/ENV --org ORG --ca FILE --keys DIR [options]
//	    opens the environment, as `esc open` does; --repeat N --parallel P opens it N times, P at once
//	esc-eval rotate --definition FILE --env PROJECT/ENV --org ORG --ca FILE --keys DIR [options]
//	    rotates every rotator in it, writes the new state back into FILE (secrets encrypted) and opens the result
//
// Options of open and rotate: --issuer ISS (default https://api.pulumi.com), --trigger-user LOGIN, --attack NAME
// (a JWT or body that the adapter must refuse; see attacks.go), --timeout DURATION per request.
//
// Output: one JSON document on stdout (`result` in evaluate.go, or the files written for keys). Tokens appear in it,
// revealed: it is for the test that ran it. The exit status is 0 whenever the evaluation ran, whatever the adapter answered; 2 for a usage error, 1 otherwise.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage(errors.New("a command is needed: keys, open or rotate"))
	}
	var (
		out any
		err error
	)
	switch command, args := os.Args[1], os.Args[2:]; command {
	case "keys":
		out, err = keysCommand(args)
	case "open":
		out, err = evaluateCommand(args, false)
	case "rotate":
		out, err = evaluateCommand(args, true)
	default:
		usage(fmt.Errorf("unknown command %q: expected keys, open or rotate", command))
	}
	var bad usageError
	if errors.As(err, &bad) {
		usage(err)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "esc-eval: %v\n", err)
		os.Exit(1)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(out); err != nil {
		fmt.Fprintf(os.Stderr, "esc-eval: writing the result: %v\n", err)
		os.Exit(1)
	}
}

type usageError struct{ error }

func usage(err error) {
	fmt.Fprintf(os.Stderr, "esc-eval: %v\nusage: esc-eval keys --dir DIR | esc-eval open|rotate --definition FILE --env PROJECT/ENV --org ORG --ca FILE --keys DIR [--issuer ISS] [--trigger-user LOGIN] [--attack NAME] [--repeat N --parallel P] [--timeout D]\n", err)
	os.Exit(2)
}

func keysCommand(args []string) (any, error) {
	flags := flag.NewFlagSet("keys", flag.ContinueOnError)
	dir := flags.String("dir", "", "folder to write the keys into")
	if err := flags.Parse(args); err != nil {
		return nil, usageError{err}
	}
	if *dir == "" {
		return nil, usageError{errors.New("--dir is required")}
	}
	return writeKeys(*dir)
}

func evaluateCommand(args []string, rotate bool) (any, error) {
	flags := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	definition := flags.String("definition", "", "the environment definition (YAML); rotate writes the new state back into it")
	env := flags.String("env", "", "the environment's name, PROJECT/ENV (the JWT's sub, current_env and root_env)")
	org := flags.String("org", "", "the Pulumi organization (the JWT's org)")
	ca := flags.String("ca", "", "PEM file of the certificate authorities trusted for https")
	keys := flags.String("keys", "", "folder written by `esc-eval keys`")
	issuer := flags.String("issuer", "https://api.pulumi.com", "the JWT's iss")
	triggerUser := flags.String("trigger-user", "ci-bot", "the JWT's trigger_user")
	attack := flags.String("attack", "", "a flaw to put in every request (see attacks.go)")
	repeat := flags.Int("repeat", 1, "how many times to open (open only)")
	parallel := flags.Int("parallel", 1, "how many opens at once (open only)")
	timeout := flags.Duration("timeout", 60*time.Second, "deadline of one request to the adapter")
	if err := flags.Parse(args); err != nil {
		return nil, usageError{err}
	}
	for name, value := range map[string]string{"definition": *definition, "env": *env, "org": *org, "ca": *ca, "keys": *keys} {
		if value == "" {
			return nil, usageError{fmt.Errorf("--%s is required", name)}
		}
	}
	if _, ok := attacks[*attack]; !ok {
		return nil, usageError{fmt.Errorf("unknown --attack %q; known: %s", *attack, attackNames())}
	}
	if *repeat < 1 || *parallel < 1 || (rotate && *repeat != 1) {
		return nil, usageError{errors.New("--repeat and --parallel must be 1 or more, and 1 for rotate")}
	}

	signer, err := loadSigner(*keys)
	if err != nil {
		return nil, err
	}
	secrets, err := loadSecretsKey(*keys)
	if err != nil {
		return nil, err
	}
	client, err := httpsClient(*ca, *timeout)
	if err != nil {
		return nil, err
	}
	source, err := os.ReadFile(*definition)
	if err != nil {
		return nil, err
	}
	caller := &caller{
		client: client,
		signer: signer,
		attack: attacks[*attack],
		claims: identity{issuer: *issuer, org: *org, env: *env, triggerUser: *triggerUser},
	}
	ctx := context.Background()
	if rotate {
		result, updated, err := rotateOnce(ctx, caller, secrets, *env, source)
		if err != nil {
			return nil, err
		}
		if updated != nil {
			// As Pulumi Cloud stores a new revision: the next run parses what this one wrote.
			if err := os.WriteFile(*definition, updated, 0o600); err != nil {
				return nil, err
			}
		}
		return result, nil
	}
	if *repeat == 1 {
		return openOnce(ctx, caller, secrets, *env, source)
	}
	return openMany(ctx, caller, secrets, *env, source, *repeat, *parallel)
}
