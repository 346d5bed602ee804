"use strict";

const express = require("express");
const axios = require("axios");
const escapeHtml = require("escape-html");

const router = express.Router();
const REPORT_API = "https://reports.internal.example";

router.get("/preview", async (req, res) => {
  // fetches a report template from the URL the user typed
  const page = await axios.get(req.query.source); // PLANTED CWE-918
  res.type("text").send(String(page.data));
});

router.get("/monthly", async (req, res) => {
  const month = encodeURIComponent(req.query.month);
  const page = await axios.get(`${REPORT_API}/monthly?month=${month}`); // SAFE-TWIN CWE-918
  res.json(page.data);
});

router.get("/title", (req, res) => {
  res.send("<h1>" + escapeHtml(req.query.title) + "</h1>"); // SAFE-TWIN CWE-79
});

module.exports = router;
