// Command orders serves the order-tracking pages of the polyglot example.
//
// This is a deliberately insecure example for ssdf-baseline's tests: lines marked PLANTED carry
// a weakness the Go rules must report, lines marked SAFE-TWIN the corrected form they must not.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/lib/pq"
)

// Profiling endpoints, left in from the load tests.
import _ "net/http/pprof" // PLANTED CWE-489

type server struct {
	db      *sql.DB
	files   string
	partner *http.Client
}

func main() {
	db, err := sql.Open("postgres", os.Getenv("ORDERS_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	s := &server{db: db, files: "/srv/orders/invoices", partner: partnerClient()}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", s.login)
	mux.HandleFunc("GET /orders", s.listOrders)
	mux.HandleFunc("GET /orders/{id}", s.showOrder)
	mux.HandleFunc("GET /search", s.search)
	mux.HandleFunc("GET /invoices", s.invoice)
	mux.HandleFunc("GET /invoices/archive", s.archivedInvoice)
	mux.HandleFunc("POST /webhooks/test", s.testWebhook)
	mux.HandleFunc("POST /webhooks/partner", s.notifyPartner)
	mux.HandleFunc("POST /labels", s.printLabel)
	mux.HandleFunc("GET /continue", s.continueTo)
	mux.HandleFunc("GET /back", s.back)

	srv := &http.Server{
		Addr:              ":8080",
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Fatal(srv.ListenAndServe())
}
