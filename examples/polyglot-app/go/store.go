package main

import (
	"database/sql"
	"fmt"
	"time"
)

// Order is one row of the orders table.
type Order struct {
	ID       int
	Customer string
	Status   string
	Placed   time.Time
}

// ordersByCustomer lists a customer's orders. The name is pasted into the SQL text.
func ordersByCustomer(db *sql.DB, customer string) ([]Order, error) {
	query := fmt.Sprintf("SELECT id, customer, status, placed FROM orders WHERE customer = '%s'", customer)
	rows, err := db.Query(query) // PLANTED CWE-89
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanOrders(rows)
}

// ordersByStatus lists orders in a status, passing it as a query parameter.
func ordersByStatus(db *sql.DB, status string) ([]Order, error) {
	rows, err := db.Query("SELECT id, customer, status, placed FROM orders WHERE status = $1", status) // SAFE-TWIN CWE-89
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanOrders(rows)
}

func scanOrders(rows *sql.Rows) ([]Order, error) {
	var out []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.Customer, &o.Status, &o.Placed); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
