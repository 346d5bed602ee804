// Test cases for go.insecure-random-secret: a module that imports math/rand.
package auth

import (
	"fmt"
	"math/rand"
	"time"
)

const letters = "abcdefghijklmnopqrstuvwxyz0123456789"

func newResetToken() string {
	b := make([]byte, 32)
	for i := range b {
		// ruleid: go.insecure-random-secret
		b[i] = letters[rand.Intn(len(letters))]
	}
	return string(b)
}

func issue(userID int) string {
	// ruleid: go.insecure-random-secret
	sessionID := fmt.Sprintf("%d-%d", userID, rand.Int63())
	return sessionID
}

func backoff(attempt int) time.Duration {
	// jitter for retries is not a secret
	// ok: go.insecure-random-secret
	return time.Duration(attempt*100+rand.Intn(50)) * time.Millisecond
}

func pickServer(servers []string) string {
	// ok: go.insecure-random-secret
	return servers[rand.Intn(len(servers))]
}
