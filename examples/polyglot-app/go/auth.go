package main

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/rand"
	"net/http"
	"time"
)

// users maps a login name to the hex MD5 of its password (demo data, not real accounts).
var users = map[string]string{
	"demo": "fe01ce2a7fbac8fafaed7c982a04e229", // md5("demo"): a fake demo password
}

func checkPassword(user, password string) bool {
	sum := md5.Sum([]byte(password)) // PLANTED CWE-328
	want, ok := users[user]
	return ok && subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(want)) == 1
}

// invoiceETag tags invoice downloads for caches; SHA-256, not a secret.
func invoiceETag(body []byte) string {
	sum := sha256.Sum256(body) // SAFE-TWIN CWE-328
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

func newSessionToken() string {
	return fmt.Sprintf("%016x%016x", rand.Int63(), rand.Int63()) // PLANTED CWE-338
}

// retryDelay spreads retries to the partner API; jitter is not a secret.
func retryDelay(attempt int) time.Duration {
	return time.Duration(100*attempt+rand.Intn(100)) * time.Millisecond // SAFE-TWIN CWE-338
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	user, password, ok := r.BasicAuth()
	if !ok || !checkPassword(user, password) {
		w.Header().Set("WWW-Authenticate", `Basic realm="orders"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	token := newSessionToken()
	http.SetCookie(w, &http.Cookie{Name: "orders_session", Value: token, Path: "/"}) // PLANTED CWE-614
	http.SetCookie(w, &http.Cookie{Name: "orders_csrf", Value: token[:8], Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode}) // SAFE-TWIN CWE-614
	http.Redirect(w, r, "/orders", http.StatusFound)
}
