package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// maxAnswerBytes bounds what is read of an answer; the adapter's are a few hundred bytes.
const maxAnswerBytes = 1 << 20

// caller is the HTTPS client of the `external` provider and rotator, shared by every evaluation of one run.
type caller struct {
	client *http.Client
	signer *signer
	attack attack
	claims identity
}

// call is what one POST came to, for the test to check: the adapter's status and its error message.
type call struct {
	URL    string `json:"url"`
	Status int    `json:"status"`
	// Error is the adapter's `error` field, or what went wrong before an answer (then Status is 0).
	Error string `json:"error,omitempty"`
}

// calls records the POSTs of one evaluation.
type calls struct {
	mu   sync.Mutex
	list []call
}

func (c *calls) add(entry call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list = append(c.list, entry)
}

func (c *calls) all() []call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]call{}, c.list...)
}

func httpsClient(caFile string, timeout time.Duration) (*http.Client, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no certificate", caFile)
	}
	transport := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: 128,
		ForceAttemptHTTP2:   true,
	}
	return &http.Client{Transport: transport, Timeout: timeout}, nil
}

// post sends body to url as ESC does (POST, JSON, a Bearer JWT, https only) and decodes the 200 answer. Any other
// status is an error, as in ESC; every attempt is recorded.
func (c *caller) post(ctx context.Context, log *calls, url string, body []byte) (any, error) {
	if len(url) < len("https://") || url[:len("https://")] != "https://" {
		// ESC calls https:// URLs only.
		return nil, fmt.Errorf("external: url must start with https://, got %q", url)
	}
	now := time.Now()
	o := &outgoing{
		url:   url,
		body:  body,
		jwt:   token{alg: jose.RS256, kid: c.signer.kid, key: c.signer.key, claims: claimsFor(c.claims, url, body, now)},
		times: 1,
	}
	c.attack(o, c.signer, now)
	jwt, err := o.jwt.compact(c.signer)
	if err != nil {
		return nil, err
	}
	var (
		answer any
		last   error
	)
	for range o.times {
		answer, last = c.once(ctx, log, url, o.body, jwt, o.noAuth)
	}
	return answer, last
}

func (c *caller) once(ctx context.Context, log *calls, url string, body []byte, jwt string, noAuth bool) (any, error) {
	request, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	request.Header.Set("Content-Type", "application/json")
	if !noAuth {
		request.Header.Set("Authorization", "Bearer "+jwt)
	}
	response, err := c.client.Do(request)
	if err != nil {
		log.add(call{URL: url, Error: err.Error()})
		return nil, fmt.Errorf("external: POST %s: %w", url, err)
	}
	defer response.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(response.Body, maxAnswerBytes))
	if err != nil {
		log.add(call{URL: url, Status: response.StatusCode, Error: err.Error()})
		return nil, fmt.Errorf("external: POST %s: reading the answer: %w", url, err)
	}
	if response.StatusCode != http.StatusOK {
		var refusal struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(raw, &refusal) != nil || refusal.Error == "" {
			refusal.Error = "(no JSON error field) " + string(raw)
		}
		log.add(call{URL: url, Status: response.StatusCode, Error: refusal.Error})
		return nil, fmt.Errorf("external: POST %s: %d: %s", url, response.StatusCode, refusal.Error)
	}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var answer any
	if err := decoder.Decode(&answer); err != nil {
		log.add(call{URL: url, Status: response.StatusCode, Error: "answer is not JSON: " + err.Error()})
		return nil, fmt.Errorf("external: POST %s: the answer is not JSON: %w", url, err)
	}
	if _, ok := answer.(map[string]any); !ok {
		log.add(call{URL: url, Status: response.StatusCode, Error: "answer is not a JSON object"})
		return nil, errors.New("external: the answer is not a JSON object")
	}
	log.add(call{URL: url, Status: response.StatusCode})
	return answer, nil
}
