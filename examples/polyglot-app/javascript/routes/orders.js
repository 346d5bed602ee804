"use strict";

const express = require("express");
const { execFile } = require("child_process");
const child_process = require("child_process");
const path = require("path");
const fs = require("fs");
const db = require("../lib/db");

const router = express.Router();
const INVOICE_DIR = path.resolve(__dirname, "..", "invoices");

router.get("/search", (req, res, next) => {
  const sql = "SELECT id, customer, total FROM orders WHERE customer LIKE '%" + req.query.customer + "%'";
  db.query(sql, (err, rows) => (err ? next(err) : res.json(rows))); // PLANTED CWE-89
});

router.get("/:id", (req, res, next) => {
  db.query("SELECT * FROM orders WHERE id = ?", [req.params.id], (err, rows) => // SAFE-TWIN CWE-89
    err ? next(err) : res.json(rows[0])
  );
});

router.post("/:id/label", (req, res, next) => {
  // prints a shipping label through the CUPS command-line client
  child_process.exec(`lp -d ${req.body.printer} /tmp/label-${req.params.id}.pdf`, (err) => // PLANTED CWE-78
    err ? next(err) : res.sendStatus(204)
  );
});

router.post("/:id/archive", (req, res, next) => {
  execFile("tar", ["czf", `/srv/archive/${req.params.id}.tgz`, req.body.folder], (err) => // SAFE-TWIN CWE-78
    err ? next(err) : res.sendStatus(204)
  );
});

router.get("/:id/invoice", (req, res) => {
  res.sendFile(path.join(INVOICE_DIR, req.query.file)); // PLANTED CWE-22
});

router.get("/:id/invoice.pdf", (req, res) => {
  res.sendFile(path.basename(req.query.file), { root: INVOICE_DIR }); // SAFE-TWIN CWE-22
});

router.post("/:id/discount", (req, res) => {
  // the discount form sends a formula such as "total * 0.9"
  const total = eval(req.body.formula); // PLANTED CWE-95
  const rate = Number(req.body.rate); // SAFE-TWIN CWE-95
  res.json({ total, rate });
});

router.get("/:id/notes", (req, res) => {
  fs.readFile(path.join(INVOICE_DIR, "notes.txt"), "utf8", (err, text) =>
    res.send("<h2>Notes for " + req.query.title + "</h2><pre>" + (text || "") + "</pre>") // PLANTED CWE-79
  );
});

module.exports = router;
