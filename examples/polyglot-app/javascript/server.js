// Shop back office: an Express app with planted weaknesses for ssdf-baseline's tests.
// Lines marked PLANTED must be reported; lines marked SAFE-TWIN must not. No real secrets:
// every key and password here is a made-up value for the example.
"use strict";

const express = require("express");
const session = require("express-session");
const cookieParser = require("cookie-parser");
const serveIndex = require("serve-index");
const errorhandler = require("errorhandler");
const https = require("https");

const orders = require("./routes/orders");
const reports = require("./routes/reports");
const { accountRouter } = require("./routes/account");

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
app.use(cookieParser(process.env.COOKIE_SECRET)); // SAFE-TWIN CWE-798

app.use(
  session({
    secret: "b0-office-sess-4471-k", // PLANTED CWE-798 (made-up value)
    resave: false,
    saveUninitialized: false,
    cookie: { secure: true, httpOnly: true, sameSite: "lax" },
  })
);

// the price feed uses a private CA; verification stays on
const feedAgent = new https.Agent({ rejectUnauthorized: true, ca: process.env.FEED_CA }); // SAFE-TWIN CWE-295
// the legacy warehouse API has a self-signed certificate
const warehouseAgent = new https.Agent({ rejectUnauthorized: false }); // PLANTED CWE-295

app.use("/orders", orders);
app.use("/reports", reports);
app.use("/account", accountRouter);

app.use("/exports", serveIndex("exports", { icons: true })); // PLANTED CWE-548

if (process.env.NODE_ENV === "development") {
  app.use(errorhandler()); // SAFE-TWIN CWE-489
}

module.exports = { app, feedAgent, warehouseAgent };
