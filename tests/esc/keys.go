package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The files `esc-eval keys` writes, by name inside its folder.
const (
	tlsCertFile    = "tls-cert.pem"
	tlsKeyFile     = "tls-key.pem"
	signingKeyFile = "signing-key.pem"
	otherKeyFile   = "other-key.pem"
	jwksFile       = "jwks.json"
	secretsKeyFile = "secrets.key"
)

// writeKeys makes everything a test needs so that it depends on no openssl: the adapter's TLS pair, the JWT keys and
// the JWKS the adapter is pointed at.
func writeKeys(dir string) (map[string]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	cert, key, err := selfSignedLoopback()
	if err != nil {
		return nil, err
	}
	signing, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	kid, err := keyID(&signing.PublicKey)
	if err != nil {
		return nil, err
	}
	jwks, err := json.MarshalIndent(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &signing.PublicKey, KeyID: kid, Algorithm: string(jose.RS256), Use: "sig",
	}}}, "", "  ")
	if err != nil {
		return nil, err
	}
	secretsKey := make([]byte, 32)
	if _, err := rand.Read(secretsKey); err != nil {
		return nil, err
	}
	files := map[string][]byte{
		tlsCertFile:    cert,
		tlsKeyFile:     key,
		signingKeyFile: pemOf("PRIVATE KEY", mustPKCS8(signing)),
		otherKeyFile:   pemOf("PRIVATE KEY", mustPKCS8(other)),
		jwksFile:       jwks,
		secretsKeyFile: []byte(base64.StdEncoding.EncodeToString(secretsKey)),
	}
	written := map[string]string{"kid": kid}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o600); err != nil {
			return nil, err
		}
		written[name] = path
	}
	return written, nil
}

// selfSignedLoopback is a certificate for 127.0.0.1 and localhost that is its own CA, so the caller trusts exactly it.
func selfSignedLoopback() (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "esc adapter test"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pemOf("CERTIFICATE", der), pemOf("PRIVATE KEY", keyDER), nil
}

// keyID is the key's RFC 7638 thumbprint, as JWKS publishers commonly name their keys.
func keyID(key *rsa.PublicKey) (string, error) {
	thumbprint, err := (&jose.JSONWebKey{Key: key}).Thumbprint(cryptoSHA256)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(thumbprint), nil
}

func readRSAKey(path string) (*rsa.PrivateKey, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(content)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an RSA key", path)
	}
	return key, nil
}

func mustPKCS8(key *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	return der
}

func pemOf(kind string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})
}
