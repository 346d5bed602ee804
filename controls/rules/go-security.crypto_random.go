// Test cases for go.insecure-random-secret: crypto/rand is the right source for secrets.
package auth

import (
	"crypto/rand"
	"encoding/hex"
)

func newResetToken() (string, error) {
	b := make([]byte, 32)
	// expect no finding (crypto/rand)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
