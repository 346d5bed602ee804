package main

import (
	"crypto/tls"
	"net/http"
	"os"
	"time"
)

// partnerClient talks to the shipping partner's API.
func partnerClient() *http.Client {
	if os.Getenv("PARTNER_SANDBOX") != "" {
		// the sandbox has a self-signed certificate
		return &http.Client{
			Timeout:   10 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, // PLANTED CWE-295
		}
	}
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}, // SAFE-TWIN CWE-295
	}
}
