// Test cases for go-security.yaml (semgrep --test). Every "ruleid" line must be reported and
// every "ok" line must not. Cases that need a module of their own are in go-security.<case>.go.
package handlers

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	"encoding/json"
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

	"github.com/antchfx/xmlquery"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/go-ldap/ldap/v3"
	"github.com/gorilla/csrf"
	"github.com/gorilla/mux"
	"github.com/gorilla/sessions"
	"github.com/jmoiron/sqlx"
	"github.com/lestrrat-go/libxml2/parser"
	"github.com/redis/go-redis/v9"
)

var db *sql.DB

// ---- go.sql-injection ----------------------------------------------------------------------

func sqlFromQuery(w http.ResponseWriter, r *http.Request) {
	order := r.URL.Query().Get("order")
	q := "SELECT id, name FROM users ORDER BY "
	q += order
	// ruleid: go.sql-injection
	rows, _ := db.Query(q)
	defer rows.Close()
}

func sqlFromMuxVar(w http.ResponseWriter, r *http.Request) {
	where := mux.Vars(r)["filter"]
	// ruleid: go.sql-injection
	db.Exec(where)
}

func sqlParameterized(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	// ok: go.sql-injection
	db.QueryRow("SELECT id FROM users WHERE name = ?", name)
}

func sqlIntegerParsed(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.FormValue("id"))
	if err != nil {
		return
	}
	q := "DELETE FROM sessions WHERE user_id = "
	q += strconv.Itoa(id)
	// ok: go.sql-injection
	db.Exec(q)
}

func sqlGin(c *gin.Context) {
	sort := c.Query("sort")
	// ruleid: go.sql-injection
	db.QueryContext(c, sort)
	// ok: go.sql-injection
	db.QueryContext(c, "SELECT * FROM items WHERE category = $1", c.Param("cat"))
}

func sqlxLookup(dbx *sqlx.DB, rdb *redis.Client, c *gin.Context) {
	var n int
	q := "SELECT count(*) FROM t WHERE "
	q += c.Query("where")
	// ruleid: go.sql-injection
	dbx.Get(&n, q)
	// a cache key is not SQL
	// ok: go.sql-injection
	rdb.Get(c, "session:"+c.Query("sid"))
}

// ---- go.sql-string-formatting --------------------------------------------------------------

func sqlFormatted(id string) {
	// ruleid: go.sql-string-formatting
	db.Query(fmt.Sprintf("SELECT * FROM users WHERE id = '%s'", id))
}

func sqlFormattedVariable(name string) error {
	query := fmt.Sprintf(`SELECT p.user_id, p.full_name
		FROM profile AS p
		WHERE p.name = '%s'`, name)
	// ruleid: go.sql-string-formatting
	_, err := db.Exec(query)
	return err
}

func sqlNoFrom(name string) {
	// ruleid: go.sql-string-formatting
	db.Exec(fmt.Sprintf("SELECT '%s' AS greeting", name))
}

func sqlConcatenated(c *gin.Context) {
	user := c.PostForm("user")
	// ruleid: go.sql-string-formatting
	db.QueryRow("SELECT * FROM accounts WHERE owner = '" + user + "'")
}

func sqlFormattedConstants(id int) {
	// ok: go.sql-string-formatting
	db.Query(fmt.Sprintf("SELECT * FROM users WHERE id = %s", "42"))
	// ok: go.sql-string-formatting
	db.Query("SELECT * FROM users WHERE id = " + strconv.Itoa(id))
	// ok: go.sql-string-formatting
	db.Query("SELECT * FROM users WHERE id = $1", id)
	// ok: go.sql-string-formatting
	db.Query(fmt.Sprintf("SELECT * FROM events ORDER BY placed LIMIT %d OFFSET %d", id, id*10))
	kind := os.Getenv("EVENT_KIND")
	// ruleid: go.sql-string-formatting
	db.Query(fmt.Sprintf("SELECT * FROM events WHERE kind = '%s' LIMIT %d", kind, 10))
	// not SQL: a log line built with Sprintf
	// ok: go.sql-string-formatting
	db.Exec(fmt.Sprintf("VACUUM %s", "main"))
}

type entryQuery struct {
	conditions []string
	args       []any
}

func (q *entryQuery) count() (n int, err error) {
	// fragments with placeholders ("e.user_id = $1"), values bound from q.args
	query := "SELECT count(*) FROM entries e WHERE " + strings.Join(q.conditions, " AND ")
	// ok: go.sql-string-formatting
	err = db.QueryRow(query, q.args...).Scan(&n)
	return n, err
}

// ---- go.command-injection and go.shell-command-built ---------------------------------------

func commandFromRequest(w http.ResponseWriter, r *http.Request) {
	tool := r.URL.Query().Get("tool")
	// ruleid: go.command-injection
	out, _ := exec.Command(tool, "--version").Output()
	w.Write(out)
}

func shellFromRequest(c *gin.Context) {
	host := c.Query("host")
	// ruleid: go.command-injection
	exec.Command("sh", "-c", host).Run()
}

type job struct {
	Tool  string `json:"tool"`
	Input string `json:"input"`
}

func commandFromJSON(c *gin.Context) {
	var j job
	if err := c.ShouldBindJSON(&j); err != nil {
		return
	}
	// ruleid: go.command-injection
	exec.Command(j.Tool, j.Input).Run()
	// ok: go.command-injection
	exec.Command("/usr/bin/convert", j.Input).Run()
}

func fileFromJSON(w http.ResponseWriter, r *http.Request) {
	var j job
	if err := json.NewDecoder(r.Body).Decode(&j); err != nil {
		return
	}
	// ruleid: go.path-traversal
	os.Remove(j.Input)
	// ok: go.path-traversal
	os.Remove(filepath.Join("/tmp/jobs", filepath.Base(j.Input)))
}

func commandArgumentOnly(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	// a fixed program with the value as one argument (after "--")
	// ok: go.command-injection
	exec.Command("convert", "--", name, "out.png").Run()
}

func shellBuilt(host string) {
	// ruleid: go.shell-command-built
	exec.Command("bash", "-c", "ping -c 1 "+host).Run()
	// ruleid: go.shell-command-built
	exec.CommandContext(nil, "/bin/sh", "-c", fmt.Sprintf("tar czf %s.tgz data", host)).Run()
}

func shellFixed(host string) {
	// ok: go.shell-command-built
	exec.Command("sh", "-c", "make clean && make").Run()
	// ok: go.shell-command-built
	exec.Command("ping", "-c", "1", host).Run()
}

// ---- go.path-traversal ---------------------------------------------------------------------

func downloadUnsafe(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	// ruleid: go.path-traversal
	data, _ := os.ReadFile(filepath.Join("/srv/files", name))
	w.Write(data)
}

func downloadServeFile(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.path-traversal
	http.ServeFile(w, r, "/srv/files/"+chi.URLParam(r, "name"))
}

func downloadBase(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("file"))
	// ok: go.path-traversal
	data, _ := os.ReadFile(filepath.Join("/srv/files", name))
	w.Write(data)
}

func downloadCleanPrefix(w http.ResponseWriter, r *http.Request) {
	full := filepath.Join("/srv/files", r.FormValue("file"))
	if !strings.HasPrefix(full, "/srv/files/") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	// ok: go.path-traversal
	f, _ := os.Open(full)
	defer f.Close()
}

func ginFile(c *gin.Context) {
	// ruleid: go.path-traversal
	c.File("./uploads/" + c.Param("name"))
	// ok: go.path-traversal
	c.File(filepath.Join("./uploads", filepath.Clean("/"+c.Param("name"))))
}

// ---- go.ssrf -------------------------------------------------------------------------------

func fetchUnsafe(w http.ResponseWriter, r *http.Request) {
	target := r.FormValue("url")
	// ruleid: go.ssrf
	resp, err := http.Get(target)
	if err == nil {
		io.Copy(w, resp.Body)
	}
}

func fetchFixedHost(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	// ok: go.ssrf
	resp, err := http.Get("https://api.example.com/users/" + url.PathEscape(user))
	if err == nil {
		io.Copy(w, resp.Body)
	}
	// ok: go.ssrf
	req, _ := http.NewRequest("GET", fmt.Sprintf("https://api.example.com/v1/items/%s", user), nil)
	http.DefaultClient.Do(req)
}

func fetchClient(c *gin.Context) {
	client := &http.Client{}
	// ruleid: go.ssrf
	client.Get(c.Query("callback"))
}

// ---- go.open-redirect ----------------------------------------------------------------------

func redirectUnsafe(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	// ruleid: go.open-redirect
	http.Redirect(w, r, next, http.StatusFound)
}

func redirectLocal(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/"
	}
	// ok: go.open-redirect
	http.Redirect(w, r, next, http.StatusFound)
}

func redirectCanonical(w http.ResponseWriter, r *http.Request) {
	target := "/catalog/"
	if r.URL.RawQuery != "" {
		target = fmt.Sprintf("%s?%s", target, r.URL.RawQuery)
	}
	// ok: go.open-redirect
	http.Redirect(w, r, target, http.StatusMovedPermanently)
}

func redirectGin(c *gin.Context) {
	// ruleid: go.open-redirect
	c.Redirect(http.StatusFound, c.Query("return_to"))
	// ok: go.open-redirect
	c.Redirect(http.StatusFound, "/orders/"+url.PathEscape(c.Param("id")))
}

// ---- go.xss --------------------------------------------------------------------------------

func greetUnsafe(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	// ruleid: go.xss
	fmt.Fprintf(w, "<h1>Hello %s</h1>", name)
}

func itemMissing(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("item")
	if name == "" {
		// the value comes first: it decides what the response is sniffed as
		// ruleid: go.xss
		fmt.Fprintf(w, "%s", r.FormValue("raw"))
		return
	}
	// fixed text first: net/http serves this as text/plain
	// ok: go.xss
	fmt.Fprintf(w, "unknown item: %s", name)
}

func greetEscaped(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	// ok: go.xss
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name))
}

func searchTrusted(w http.ResponseWriter, r *http.Request) {
	term := r.URL.Query().Get("q")
	msg := fmt.Sprintf("<b>%s</b> not found", term)
	data := map[string]interface{}{
		// ruleid: go.xss
		"message": template.HTML(msg),
		// ok: go.xss
		"term": term,
	}
	_ = data
}

func countResults(w http.ResponseWriter, r *http.Request) {
	term := r.URL.Query().Get("q")
	rows := strings.Split(term, ",")
	// ok: go.xss
	fmt.Fprintf(w, "<p>%d terms</p>", len(rows))
}

func htmlEcho(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// ruleid: go.xss
	io.WriteString(w, "<p>"+r.URL.Query().Get("q")+"</p>")
}

func jsonEcho(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	// ok: go.xss
	fmt.Fprintf(w, `{"q": %q}`, r.URL.Query().Get("q"))
}

// ---- go.template-injection -----------------------------------------------------------------

func renderUserTemplate(w http.ResponseWriter, r *http.Request) {
	src := r.FormValue("template")
	// ruleid: go.template-injection
	t, _ := template.New("page").Parse(src)
	t.Execute(w, nil)
}

func renderFixedTemplate(w http.ResponseWriter, r *http.Request) {
	// ok: go.template-injection
	t, _ := template.New("page").Parse(`<p>Hello {{.}}</p>`)
	t.Execute(w, r.FormValue("name"))
}

// ---- go.ldap-injection ---------------------------------------------------------------------

func ldapLookup(conn *ldap.Conn, r *http.Request) {
	user := r.FormValue("user")
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		// ruleid: go.ldap-injection
		"(uid="+user+")",
		[]string{"dn"}, nil)
	conn.Search(req)
	safe := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		// ok: go.ldap-injection
		"(uid="+ldap.EscapeFilter(user)+")",
		[]string{"dn"}, nil)
	conn.Search(safe)
}

// ---- go.xpath-injection --------------------------------------------------------------------

func xpathLookup(doc *xmlquery.Node, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go.xpath-injection
	xmlquery.Find(doc, "//user[name='"+name+"']")
	// ok: go.xpath-injection
	xmlquery.Find(doc, "//user[@active='true']")
}

// ---- go.xml-external-entities --------------------------------------------------------------

func parseXML() {
	// ruleid: go.xml-external-entities
	p := parser.New(parser.XMLParseNoEnt)
	// ok: go.xml-external-entities
	q := parser.New(parser.XMLParseNoNet)
	_, _ = p, q
}

// ---- go.weak-hash --------------------------------------------------------------------------

func hashPassword(pw string) []byte {
	// ruleid: go.weak-hash
	h := md5.Sum([]byte(pw))
	return h[:]
}

func signPayload(b []byte) []byte {
	// ruleid: go.weak-hash
	h := sha1.New()
	h.Write(b)
	return h.Sum(nil)
}

func digest(b []byte) []byte {
	// ok: go.weak-hash
	h := sha256.Sum256(b)
	return h[:]
}

// ---- go.weak-cipher ------------------------------------------------------------------------

func legacyEncrypt(key, data []byte) {
	// ruleid: go.weak-cipher
	block, _ := des.NewCipher(key)
	_ = block
	// ruleid: go.weak-cipher
	stream, _ := rc4.NewCipher(key)
	_ = stream
}

func ecbEncrypt(key, data []byte) []byte {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil
	}
	out := make([]byte, len(data))
	for i := 0; i < len(data); i += aes.BlockSize {
		// ruleid: go.weak-cipher
		block.Encrypt(out[i:i+aes.BlockSize], data[i:i+aes.BlockSize])
	}
	return out
}

func gcmEncrypt(key, nonce, data []byte) []byte {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil
	}
	// ok: go.weak-cipher
	return gcm.Seal(nil, nonce, data, nil)
}

// ---- go.tls-verify-disabled and go.tls-old-version -----------------------------------------

func insecureClient() *http.Client {
	tr := &http.Transport{
		// ruleid: go.tls-verify-disabled
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	return &http.Client{Transport: tr}
}

func secureClient(cfg *tls.Config) *http.Client {
	// ruleid: go.tls-verify-disabled
	cfg.InsecureSkipVerify = true
	tr := &http.Transport{
		// ok: go.tls-verify-disabled, go.tls-old-version
		TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12},
	}
	return &http.Client{Transport: tr}
}

func legacyServer() *tls.Config {
	// ruleid: go.tls-old-version
	return &tls.Config{MinVersion: tls.VersionTLS10}
}

// ---- go.cookie-insecure --------------------------------------------------------------------

func setSession(w http.ResponseWriter, token string) {
	// ruleid: go.cookie-insecure
	http.SetCookie(w, &http.Cookie{Name: "session", Value: token, Path: "/"})
	// ruleid: go.cookie-insecure
	http.SetCookie(w, &http.Cookie{Name: "session", Value: token, Secure: true, HttpOnly: false})
	// ok: go.cookie-insecure
	http.SetCookie(w, &http.Cookie{Name: "session", Value: token, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	// deleting a cookie sends nothing worth stealing
	// ok: go.cookie-insecure
	http.SetCookie(w, &http.Cookie{Name: "session", Value: "", MaxAge: -1})
}

func clientCookie(req *http.Request, token string) {
	// a cookie sent by an HTTP client, not set by this server
	// ok: go.cookie-insecure
	req.AddCookie(&http.Cookie{Name: "session", Value: token})
}

func gorillaSession(s *sessions.Session) {
	// ruleid: go.cookie-insecure
	s.Options = &sessions.Options{Path: "/", MaxAge: 3600, HttpOnly: false}
	// ok: go.cookie-insecure
	s.Options = &sessions.Options{Path: "/", MaxAge: 3600, HttpOnly: true, Secure: true}
}

func ginCookie(c *gin.Context, token string) {
	// ruleid: go.cookie-insecure
	c.SetCookie("session", token, 3600, "/", "", false, true)
	// ok: go.cookie-insecure
	c.SetCookie("session", token, 3600, "/", "", true, true)
}

// ---- go.csrf-protection-weakened -----------------------------------------------------------

func csrfSetup(key []byte, h http.Handler) http.Handler {
	// ruleid: go.csrf-protection-weakened
	return csrf.Protect(key, csrf.Secure(false))(h)
}

func csrfSkip(r *http.Request) *http.Request {
	// ruleid: go.csrf-protection-weakened
	return csrf.UnsafeSkipCheck(r)
}

func csrfOn(key []byte, h http.Handler) http.Handler {
	// ok: go.csrf-protection-weakened
	return csrf.Protect(key, csrf.Secure(true), csrf.Path("/"))(h)
}

// ---- go.debug-mode-enabled -----------------------------------------------------------------

func setupRouter() *gin.Engine {
	// ruleid: go.debug-mode-enabled
	gin.SetMode(gin.DebugMode)
	// ok: go.debug-mode-enabled
	gin.SetMode(gin.ReleaseMode)
	return gin.New()
}
