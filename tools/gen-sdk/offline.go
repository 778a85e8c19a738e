package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"net/http"
)

// The .NET package's icon. The .NET generator downloads the schema's logoUrl (a Pulumi logo on GitHub when unset)
// into logo.png; this one, made for the package, answers that request instead, so generating needs no network and
// always writes the same bytes.
//
//go:embed logo.png
var logo []byte

// offline is the transport of every HTTP request a generator makes: the icon download only, answered with the logo.
type offline struct{}

func (offline) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		return nil, fmt.Errorf("gen-sdk makes no network requests (a generator asked %s %s)", req.Method, req.URL)
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"image/png"}}, Body: io.NopCloser(bytes.NewReader(logo)),
		ContentLength: int64(len(logo)), Request: req,
	}, nil
}

func init() {
	http.DefaultTransport = offline{}
}
