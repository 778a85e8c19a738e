package main

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// secretsKey encrypts the secrets a rotation writes back, as Pulumi Cloud encrypts a definition's secrets, so the
// stored definition holds no token in plain text and the next run must decrypt it.
type secretsKey struct{ aead cipher.AEAD }

func loadSecretsKey(dir string) (*secretsKey, error) {
	path := filepath.Join(dir, secretsKeyFile)
	encoded, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(encoded)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%s: expected 32 bytes in base64", path)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &secretsKey{aead: aead}, nil
}

func (k *secretsKey) Encrypt(_ context.Context, plaintext []byte) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return k.aead.Seal(nonce, nonce, plaintext, nil), nil
}

func (k *secretsKey) Decrypt(_ context.Context, ciphertext []byte) ([]byte, error) {
	size := k.aead.NonceSize()
	if len(ciphertext) < size {
		return nil, errors.New("ciphertext too short")
	}
	return k.aead.Open(nil, ciphertext[:size], ciphertext[size:], nil)
}
