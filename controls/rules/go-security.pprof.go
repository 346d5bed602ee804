// Test cases for go.debug-mode-enabled: net/http/pprof on the default mux.
package main

import "log"

import "net/http"

// ruleid: go.debug-mode-enabled
import _ "net/http/pprof"

// ok: go.debug-mode-enabled
import _ "github.com/lib/pq"

func main() {
	log.Fatal(http.ListenAndServe(":8080", nil))
}
