// Test cases for javascript-security.yaml (semgrep --test). Every value here is fake.
const express = require("express");
const child_process = require("child_process");
const { execFile } = require("child_process");
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const vm = require("vm");
const axios = require("axios");
const mysql = require("mysql");
const escapeHtml = require("escape-html");
const session = require("express-session");
const serveIndex = require("serve-index");
const errorhandler = require("errorhandler");
const swig = require("swig");
const nunjucks = require("nunjucks");
const libxmljs = require("libxmljs");
const xpath = require("xpath");
const ldap = require("ldapjs");
const ejs = require("ejs");
const pug = require("pug");

const app = express();
const db = mysql.createConnection({ host: "localhost" });
const ALLOWED_HOSTS = ["https://api.example.com/feed"];
const UPLOAD_ROOT = "/srv/uploads/";

// ---- javascript.sql-injection
app.get("/users", (req, res) => {
  const sql = "SELECT * FROM users WHERE name = '" + req.query.name + "'";
  // ruleid: javascript.sql-injection
  db.query(sql, (err, rows) => res.json(rows));
  // ok: javascript.sql-injection
  db.query("SELECT * FROM users WHERE name = ?", [req.query.name], (err, rows) => res.json(rows));
  // ruleid: javascript.sql-injection
  sequelize.query(`SELECT * FROM items WHERE id = ${req.params.id}`);
  // ok: javascript.sql-injection
  sequelize.query(`SELECT * FROM items WHERE id = ${parseInt(req.params.id, 10)}`);
});

// ---- javascript.command-injection
app.post("/ping", (req, res) => {
  // ruleid: javascript.command-injection
  child_process.exec("ping -c 1 " + req.body.host, (err, out) => res.send("done"));
  // ok: javascript.command-injection
  execFile("ping", ["-c", "1", req.body.host], (err, out) => res.send("done"));
  // ruleid: javascript.command-injection
  child_process.spawn("sh", ["-c", `tar xf ${req.body.file}`]);
  // ok: javascript.command-injection
  child_process.spawn("tar", ["xf", req.body.file]);
});

// ---- javascript.code-injection and javascript.eval-dynamic
app.post("/calc", (req, res) => {
  // ruleid: javascript.code-injection
  const total = eval(req.body.expression);
  // ok: javascript.code-injection
  const amount = Number(req.body.amount);
  // ruleid: javascript.code-injection
  vm.runInNewContext("result = " + req.query.formula, {});
  res.json({ total, amount });
});

function renderRow(formula) {
  // ruleid: javascript.eval-dynamic
  return eval(formula);
}
// ok: javascript.eval-dynamic
const two = eval("1 + 1");

// ---- javascript.path-traversal
app.get("/files/:name", (req, res) => {
  // ruleid: javascript.path-traversal
  res.sendFile(path.join(UPLOAD_ROOT, req.params.name));
  // ok: javascript.path-traversal
  res.sendFile(req.params.name, { root: UPLOAD_ROOT });
  // ruleid: javascript.path-traversal
  fs.readFile("/srv/reports/" + req.query.report, "utf8", (err, text) => res.type("text").send(text));
  // ok: javascript.path-traversal
  fs.readFile("/srv/reports/" + path.basename(req.query.report), "utf8", () => {});
});

app.get("/download", (req, res) => {
  const target = path.resolve(UPLOAD_ROOT, req.query.file);
  if (target.startsWith(UPLOAD_ROOT)) {
    // ok: javascript.path-traversal
    res.download(target);
  }
});

// ---- javascript.ssrf
app.get("/proxy", async (req, res) => {
  // ruleid: javascript.ssrf
  const page = await axios.get(req.query.url);
  // ok: javascript.ssrf
  const user = await axios.get(`https://api.example.com/users/${encodeURIComponent(req.query.id)}`);
  // ruleid: javascript.ssrf
  const img = await fetch("http://" + req.query.host + "/logo.png");
  res.json({ page: page.data, user: user.data, img: img.status });
});

app.get("/feed", async (req, res) => {
  if (ALLOWED_HOSTS.includes(req.query.feed)) {
    // ok: javascript.ssrf
    const feed = await fetch(req.query.feed);
    res.json(await feed.json());
  }
});

// ---- javascript.open-redirect
app.get("/login/done", (req, res) => {
  // ruleid: javascript.open-redirect
  res.redirect(req.query.next);
});
app.get("/items/go", (req, res) => {
  // ok: javascript.open-redirect
  res.redirect("/items/" + req.query.id);
});

// ---- javascript.xss-response
app.get("/hello", (req, res) => {
  // ruleid: javascript.xss-response
  res.send("<h1>Hello " + req.query.name + "</h1>");
});
app.get("/hello-safe", (req, res) => {
  // ok: javascript.xss-response
  res.send("<h1>Hello " + escapeHtml(req.query.name) + "</h1>");
});

// ---- javascript.log-injection
app.post("/signin", (req, res) => {
  const { userName } = req.body;
  // ruleid: javascript.log-injection
  console.log("Error: attempt to login with invalid user: ", userName);
  // ok: javascript.log-injection
  console.log("Error: attempt to login with invalid user: %s", userName.replace(/[\r\n]/g, "_"));
  res.status(401).end();
});

// ---- javascript.template-injection
app.post("/preview", (req, res) => {
  // ruleid: javascript.template-injection
  const html = ejs.render(req.body.template, { user: "ann" });
  // ok: javascript.template-injection
  const page = ejs.render("<p><%= note %></p>", { note: req.body.note });
  res.json({ html, page });
});
app.post("/erase", (req, res) => {
  // ruleid: javascript.template-injection
  res.render("erased", { ...req.body, title: "Erased" });
  // ok: javascript.template-injection
  res.render("erased", { email: req.body.email, title: "Erased" });
});

// ---- javascript.template-built-from-string
function profilePage(template, user) {
  template = template.replace(/_username_/g, user.username);
  // ruleid: javascript.template-built-from-string
  return pug.compile(template)();
}
function aboutPage(template) {
  // ok: javascript.template-built-from-string
  return pug.compile(template)({ year: 2026 });
}

// ---- javascript.template-escaping-disabled
// ruleid: javascript.template-escaping-disabled
swig.setDefaults({ autoescape: false });
// ok: javascript.template-escaping-disabled
nunjucks.configure("views", { autoescape: true });

// ---- javascript.xxe
function parseUpload(xml) {
  // ruleid: javascript.xxe
  const doc = libxmljs.parseXml(xml, { noent: true, nonet: false });
  // ok: javascript.xxe
  const safe = libxmljs.parseXml(xml, { noblanks: true });
  return [doc, safe];
}

// ---- javascript.xpath-injection
app.get("/book", (req, res) => {
  // ruleid: javascript.xpath-injection
  const hits = xpath.select("//book[title='" + req.query.title + "']", catalogDoc);
  // ok: javascript.xpath-injection
  const count = xpath.select("count(//book[@year=" + parseInt(req.query.year, 10) + "])", catalogDoc);
  res.json({ hits: hits.length, count });
});

// ---- javascript.ldap-injection
app.post("/ldap-login", (req, res) => {
  const client = ldap.createClient({ url: "ldaps://ldap.example.com" });
  // ruleid: javascript.ldap-injection
  client.search("ou=people,dc=example,dc=com", { filter: `(uid=${req.body.user})`, scope: "sub" }, () => {});
  // ok: javascript.ldap-injection
  client.search("ou=people,dc=example,dc=com", { filter: new ldap.EqualityFilter({ attribute: "uid", value: req.body.user }) }, () => {});
  res.end();
});

// ---- javascript.weak-hash and javascript.weak-hash-unclassified
function hashPassword(password) {
  // ruleid: javascript.weak-hash, javascript.weak-hash-unclassified
  return crypto.createHash("md5").update(password).digest("hex");
}
function storePassword(password) {
  // ok: javascript.weak-hash, javascript.weak-hash-unclassified
  return crypto.createHash("sha256").update(password).digest("hex");
}
// ok: javascript.weak-hash
// ruleid: javascript.weak-hash-unclassified
const etag = crypto.createHash("sha1").update(JSON.stringify({ a: 1 })).digest("base64");

// ---- javascript.weak-cipher
function encryptLegacy(key, data) {
  // ruleid: javascript.weak-cipher
  const c1 = crypto.createCipheriv("des-ede3-cbc", key, crypto.randomBytes(8));
  // ok: javascript.weak-cipher
  const c2 = crypto.createCipheriv("aes-256-gcm", key, crypto.randomBytes(12));
  return [c1.update(data), c2.update(data)];
}

// ---- javascript.insecure-random-secret
// ruleid: javascript.insecure-random-secret
const resetToken = Math.random().toString(36).slice(2);
// ok: javascript.insecure-random-secret
const jitterMs = Math.floor(Math.random() * 250);
// ok: javascript.insecure-random-secret
const apiToken = crypto.randomBytes(32).toString("hex");

// ---- javascript.hardcoded-secret
// ruleid: javascript.hardcoded-secret
app.use(session({ secret: "k9Xq2mVt7pLw4RzB", resave: false, saveUninitialized: false, cookie: { secure: true, httpOnly: true } }));
// ok: javascript.hardcoded-secret
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false, cookie: { secure: true, httpOnly: true } }));
const config = {
  // ruleid: javascript.hardcoded-secret
  jwtSecret: "Zx81-q7Lm-jwt-signing-value",
  // ok: javascript.hardcoded-secret
  jwtSecret2: process.env.JWT_SECRET,
  // ok: javascript.hardcoded-secret
  password: "changeme",
};

// ---- javascript.tls-verification-disabled
const https = require("https");
// ruleid: javascript.tls-verification-disabled
const insecureAgent = new https.Agent({ rejectUnauthorized: false });
// ok: javascript.tls-verification-disabled
const agent = new https.Agent({ rejectUnauthorized: true, ca: fs.readFileSync("/etc/ssl/private-ca.pem") });

// ---- javascript.insecure-cookie
app.post("/login", (req, res) => {
  const token = crypto.randomBytes(32).toString("hex");
  // ruleid: javascript.insecure-cookie
  res.cookie("session_token", token);
  // ok: javascript.insecure-cookie
  res.cookie("auth_token", token, { httpOnly: true, secure: true, sameSite: "lax" });
  // ruleid: javascript.insecure-cookie
  res.cookie("jwt", token, { httpOnly: false, secure: true });
  // ok: javascript.insecure-cookie
  res.cookie("theme", "dark");
  res.end();
});
// ruleid: javascript.insecure-cookie
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: false } }));

// ---- javascript.csrf-disabled
const lusca = require("lusca");
// ruleid: javascript.csrf-disabled
app.use(lusca({ csrf: false, xframe: "SAMEORIGIN" }));
// ok: javascript.csrf-disabled
app.use(lusca({ csrf: true, xframe: "SAMEORIGIN" }));

// ---- javascript.debug-enabled and javascript.directory-listing
// ruleid: javascript.debug-enabled
app.use(errorhandler());
if (process.env.NODE_ENV === "development") {
  // ok: javascript.debug-enabled
  app.use(errorhandler());
}
// ruleid: javascript.directory-listing
app.use("/ftp", serveIndex("ftp", { icons: true }));
// ok: javascript.directory-listing
app.use("/static", express.static("public", { index: false }));

// ---- javascript.stack-trace-exposure
app.get("/report", async (req, res) => {
  try {
    res.json(await buildReport());
  } catch (err) {
    // ruleid: javascript.stack-trace-exposure
    res.status(500).send(err.stack);
  }
});
app.get("/report2", async (req, res) => {
  try {
    res.json(await buildReport());
  } catch (err) {
    console.error(err.stack);
    // ok: javascript.stack-trace-exposure
    res.status(500).send("Internal error");
  }
});

// ---- javascript.regex-redos
function validRouting(value) {
  // ruleid: javascript.regex-redos
  const routing = /([0-9]+)+#/;
  // ok: javascript.regex-redos
  const fixed = /[0-9]+#/;
  return routing.test(value) && fixed.test(value);
}

module.exports = app;
