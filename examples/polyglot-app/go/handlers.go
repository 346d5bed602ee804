package main

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

var orderPage = template.Must(template.New("order").Parse(
	`<h1>Order {{.ID}}</h1><p>{{.Customer}}: {{.Status}}</p>{{.Note}}`))

func (s *server) listOrders(w http.ResponseWriter, r *http.Request) {
	if customer := r.URL.Query().Get("customer"); customer != "" {
		orders, err := ordersByCustomer(s.db, customer)
		writeOrders(w, orders, err)
		return
	}
	orders, err := ordersByStatus(s.db, r.URL.Query().Get("status"))
	writeOrders(w, orders, err)
}

func (s *server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	sql := "SELECT id, customer, status, placed FROM orders WHERE status = 'open' ORDER BY "
	sql += r.URL.Query().Get("sort")
	rows, err := s.db.Query(sql) // PLANTED CWE-89
	if err != nil {
		http.Error(w, "search failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	orders, err := scanOrders(rows)
	if err != nil || len(orders) == 0 {
		fmt.Fprintf(w, "<p>No orders match %s</p>", q) // PLANTED CWE-79
		return
	}
	fmt.Fprintf(w, "<p>%d orders match %s</p>", len(orders), html.EscapeString(q)) // SAFE-TWIN CWE-79
}

func (s *server) showOrder(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var o Order
	row := s.db.QueryRow("SELECT id, customer, status, placed FROM orders WHERE id = " + strconv.Itoa(id)) // SAFE-TWIN CWE-89
	if err := row.Scan(&o.ID, &o.Customer, &o.Status, &o.Placed); err != nil {
		http.NotFound(w, r)
		return
	}
	note := r.URL.Query().Get("note")
	orderPage.Execute(w, map[string]any{
		"ID": o.ID, "Customer": o.Customer, "Status": o.Status,
		"Note": template.HTML("<em>" + note + "</em>"), // PLANTED CWE-79
	})
}

func (s *server) invoice(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	f, err := os.Open(filepath.Join(s.files, name)) // PLANTED CWE-22
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/pdf")
	io.Copy(w, f)
}

func (s *server) archivedInvoice(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("file"))
	f, err := os.Open(filepath.Join(s.files, "archive", name)) // SAFE-TWIN CWE-22
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/pdf")
	io.Copy(w, f)
}

// testWebhook lets a merchant check that its webhook URL answers.
func (s *server) testWebhook(w http.ResponseWriter, r *http.Request) {
	hook := r.FormValue("url")
	resp, err := http.Get(hook) // PLANTED CWE-918
	if err != nil {
		http.Error(w, "webhook unreachable", http.StatusBadGateway)
		return
	}
	resp.Body.Close()
	fmt.Fprintln(w, "webhook answered", resp.StatusCode)
}

// notifyPartner tells the shipping partner about an order; the host is fixed.
func (s *server) notifyPartner(w http.ResponseWriter, r *http.Request) {
	order := r.FormValue("order")
	req, err := http.NewRequest("POST", "https://partner.example.com/notify/"+url.PathEscape(order), nil) // SAFE-TWIN CWE-918
	if err != nil {
		http.Error(w, "bad order", http.StatusBadRequest)
		return
	}
	resp, err := s.partner.Do(req)
	if err != nil {
		http.Error(w, "partner unreachable", http.StatusBadGateway)
		return
	}
	resp.Body.Close()
	w.WriteHeader(http.StatusAccepted)
}

// printLabel renders a shipping label with ImageMagick.
func (s *server) printLabel(w http.ResponseWriter, r *http.Request) {
	text := r.FormValue("text")
	if r.FormValue("engine") == "legacy" {
		err := exec.Command("sh", "-c", "convert -size 400x200 label:'"+text+"' /tmp/label.png").Run() // PLANTED CWE-78
		labelDone(w, err)
		return
	}
	err := exec.Command("convert", "-size", "400x200", "label:"+text, "/tmp/label.png").Run() // SAFE-TWIN CWE-78
	labelDone(w, err)
}

func (s *server) continueTo(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	http.Redirect(w, r, next, http.StatusFound) // PLANTED CWE-601
}

func (s *server) back(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		next = "/orders"
	}
	http.Redirect(w, r, next, http.StatusFound) // SAFE-TWIN CWE-601
}

func labelDone(w http.ResponseWriter, err error) {
	if err != nil {
		http.Error(w, "label failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func writeOrders(w http.ResponseWriter, orders []Order, err error) {
	if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, o := range orders {
		fmt.Fprintf(w, "%d\t%s\t%s\n", o.ID, o.Customer, o.Status)
	}
}
