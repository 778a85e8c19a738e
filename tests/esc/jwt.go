package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

const cryptoSHA256 = crypto.SHA256

// jwtLifetime is what the contract fixes for the stand-in; Pulumi Cloud's own lifetime is not documented.
const jwtLifetime = 300 * time.Second

// signer holds the keys a test signs with: the one the JWKS publishes, and one it does not.
type signer struct {
	key   *rsa.PrivateKey
	kid   string
	other *rsa.PrivateKey
}

func loadSigner(dir string) (*signer, error) {
	key, err := readRSAKey(filepath.Join(dir, signingKeyFile))
	if err != nil {
		return nil, err
	}
	other, err := readRSAKey(filepath.Join(dir, otherKeyFile))
	if err != nil {
		return nil, err
	}
	kid, err := keyID(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	return &signer{key: key, kid: kid, other: other}, nil
}

// identity is what Pulumi Cloud knows of the evaluation and puts in every JWT.
type identity struct {
	issuer, org, env, triggerUser string
}

// token is one request's JWT before it is signed, with how to sign it; attacks change it.
type token struct {
	alg    jose.SignatureAlgorithm // RS256, HS256 or "none"
	kid    string
	key    *rsa.PrivateKey // RS256's key
	claims map[string]any
}

// claimsFor are the documented claims of a request to url with this body.
func claimsFor(who identity, url string, body []byte, now time.Time) map[string]any {
	return map[string]any{
		"iss":          who.issuer,
		"aud":          url,
		"iat":          now.Unix(),
		"exp":          now.Add(jwtLifetime).Unix(),
		"jti":          randomID(),
		"org":          who.org,
		"sub":          "pulumi:environments:org:" + who.org + ":env:" + who.env,
		"current_env":  who.env,
		"root_env":     who.env,
		"trigger_user": who.triggerUser,
		"body_hash":    bodyHash(body),
	}
}

// bodyHash is the documented body_hash claim: "sha256-" and the standard base64 of the body's SHA-256.
func bodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// compact signs the token. RS256 and HS256 go through go-jose; go-jose rightly refuses to make an unsigned JWT, so
// alg "none" (an attack only) is written out by hand.
func (t token) compact(s *signer) (string, error) {
	payload, err := json.Marshal(t.claims)
	if err != nil {
		return "", err
	}
	var key any
	switch t.alg {
	case "none":
		header, err := json.Marshal(map[string]string{"alg": "none", "typ": "JWT", "kid": t.kid})
		if err != nil {
			return "", err
		}
		return base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload) + ".", nil
	case jose.HS256:
		// The classic confusion: the RSA public key, as a verifier holding it might read it, used as an HMAC secret.
		der, err := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
		if err != nil {
			return "", err
		}
		key = pemOf("PUBLIC KEY", der)
	default:
		key = t.key
	}
	options := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", t.kid)
	jwsSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: t.alg, Key: key}, options)
	if err != nil {
		return "", err
	}
	signed, err := jwsSigner.Sign(payload)
	if err != nil {
		return "", err
	}
	return signed.CompactSerialize()
}

func randomID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// otherRoute is url with /open and /rotate swapped: a JWT minted for one route of the adapter, sent to the other.
func otherRoute(url string) string {
	switch {
	case strings.HasSuffix(url, "/open"):
		return strings.TrimSuffix(url, "/open") + "/rotate"
	case strings.HasSuffix(url, "/rotate"):
		return strings.TrimSuffix(url, "/rotate") + "/open"
	}
	return url + "/other"
}
