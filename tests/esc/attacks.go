package main

import (
	"sort"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// A request as the caller is about to send it: the body, its JWT, and how many times it goes out.
type outgoing struct {
	url   string
	body  []byte
	jwt   token
	times int
	// noAuth leaves the Authorization header out.
	noAuth bool
}

// attack puts one flaw into every request the evaluation makes; the adapter must answer each with 401 before it
// reads the body for anything else.
type attack func(o *outgoing, s *signer, now time.Time)

// oversizedPadding is far above any small limit an adapter may set, and small enough for a quick test.
const oversizedPadding = 1 << 20

var attacks = map[string]attack{
	"":         func(*outgoing, *signer, time.Time) {},
	"alg-none": func(o *outgoing, _ *signer, _ time.Time) { o.jwt.alg = "none" },
	"hs256":    func(o *outgoing, _ *signer, _ time.Time) { o.jwt.alg = jose.HS256 },
	"unknown-kid": func(o *outgoing, _ *signer, _ time.Time) {
		o.jwt.kid = "unknown-" + randomID()
	},
	// The published kid, the signature made by a key the JWKS does not hold.
	"other-key": func(o *outgoing, s *signer, _ time.Time) { o.jwt.key = s.other },
	"wrong-iss": func(o *outgoing, _ *signer, _ time.Time) { o.jwt.claims["iss"] = "https://api.attacker.example" },
	// Pulumi Cloud signs for any adapter a definition names: one an attacker runs, replaying what it received.
	"wrong-aud":       func(o *outgoing, _ *signer, _ time.Time) { o.jwt.claims["aud"] = "https://attacker.example/open" },
	"other-route-aud": func(o *outgoing, _ *signer, _ time.Time) { o.jwt.claims["aud"] = otherRoute(o.url) },
	"expired": func(o *outgoing, _ *signer, now time.Time) {
		o.jwt.claims["iat"] = now.Add(-2 * jwtLifetime).Unix()
		o.jwt.claims["exp"] = now.Add(-jwtLifetime).Unix()
	},
	"iat-future": func(o *outgoing, _ *signer, now time.Time) {
		o.jwt.claims["iat"] = now.Add(10 * time.Minute).Unix()
		o.jwt.claims["exp"] = now.Add(10*time.Minute + jwtLifetime).Unix()
	},
	"no-body-hash": func(o *outgoing, _ *signer, _ time.Time) { delete(o.jwt.claims, "body_hash") },
	// The JWT of one body sent with another: one byte more, as a tampering proxy might add.
	"wrong-body-hash": func(o *outgoing, _ *signer, _ time.Time) {
		o.jwt.claims["body_hash"] = bodyHash(append(append([]byte{}, o.body...), ' '))
	},
	// The same request, JWT and all, sent twice: the first may be answered, the second must not.
	"replay":  func(o *outgoing, _ *signer, _ time.Time) { o.times = 2 },
	"no-auth": func(o *outgoing, _ *signer, _ time.Time) { o.noAuth = true },
	// A body above any small limit, correctly hashed and signed.
	"oversized": func(o *outgoing, _ *signer, _ time.Time) {
		padded := strings.TrimSuffix(strings.TrimSpace(string(o.body)), "}")
		if strings.TrimSpace(padded) != "{" {
			padded += ","
		}
		o.body = []byte(padded + `"padding":"` + strings.Repeat("x", oversizedPadding) + `"}`)
		o.jwt.claims["body_hash"] = bodyHash(o.body)
	},
}

func attackNames() string {
	names := make([]string, 0, len(attacks))
	for name := range attacks {
		if name != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
