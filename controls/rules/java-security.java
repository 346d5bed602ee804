// Test cases for java-security.yaml (semgrep --test). Not compiled; it must parse as Java.
package test.rules;

import java.io.*;
import java.net.URL;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Random;
import java.util.Set;
import javax.naming.InitialContext;
import javax.naming.directory.DirContext;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.xpath.XPath;
import io.jsonwebtoken.Jwts;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import org.apache.commons.lang3.RandomStringUtils;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.Velocity;
import org.owasp.encoder.Encode;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.ldap.support.LdapEncoder;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.ModelAndView;

@RestController
public class JavaSecurityCases {

  private static final Set<String> ALLOWED_HOSTS = Set.of("api.example.com");
  private static final Path UPLOADS = Paths.get("/srv/uploads");
  private JdbcTemplate jdbcTemplate;
  private Connection connection;

  // ----- java.sql-injection -----------------------------------------------------------------

  @GetMapping("/users")
  public String findUser(@RequestParam String name) throws Exception {
    Statement statement = connection.createStatement();
    // ruleid: java.sql-injection
    statement.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
    PreparedStatement ps = connection.prepareStatement("SELECT * FROM users WHERE name = ?");
    ps.setString(1, name);
    // ok: java.sql-injection
    ps.executeQuery();
    return "";
  }

  @GetMapping("/orders/{id}")
  public Object order(@PathVariable("id") String id) {
    String sql = "SELECT * FROM orders WHERE id = " + id;
    // ruleid: java.sql-injection
    jdbcTemplate.queryForList(sql);
    // ok: java.sql-injection
    jdbcTemplate.queryForList("SELECT * FROM orders WHERE id = " + Integer.parseInt(id));
    // ok: java.sql-injection
    return jdbcTemplate.queryForList("SELECT * FROM orders WHERE id = ?", id);
  }

  public void servletSql(HttpServletRequest request) throws Exception {
    String sort = request.getParameter("sort");
    // ruleid: java.sql-injection
    connection.prepareStatement("SELECT * FROM items ORDER BY " + sort);
    // ok: java.sql-injection
    connection.prepareStatement("SELECT * FROM items ORDER BY name");
  }

  public Object jpql(@RequestParam String status, javax.persistence.EntityManager em) {
    // ruleid: java.sql-injection
    em.createQuery("FROM Order o WHERE o.status = '" + status + "'");
    // ok: java.sql-injection
    return em.createQuery("FROM Order o WHERE o.status = :s").setParameter("s", status);
  }

  // ----- java.command-injection -------------------------------------------------------------

  @PostMapping("/ping")
  public void ping(@RequestParam String host) throws Exception {
    // ruleid: java.command-injection
    Runtime.getRuntime().exec("ping -c 1 " + host);
    // ruleid: java.command-injection
    new ProcessBuilder("sh", "-c", "nslookup " + host).start();
    // ok: java.command-injection
    Runtime.getRuntime().exec(new String[] {"uptime"});
  }

  public void pingCount(HttpServletRequest request) throws Exception {
    int count = Integer.parseInt(request.getParameter("count"));
    // ok: java.command-injection
    new ProcessBuilder("ping", "-c", String.valueOf(count), "localhost").start();
  }

  // ----- java.code-injection ----------------------------------------------------------------

  @GetMapping("/calc")
  public Object calc(@RequestParam String expr) throws Exception {
    ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
    // ruleid: java.code-injection
    engine.eval(expr);
    ExpressionParser parser = new SpelExpressionParser();
    // ruleid: java.code-injection
    parser.parseExpression(expr).getValue();
    // ok: java.code-injection
    return parser.parseExpression("1 + 2").getValue();
  }

  // ----- java.path-traversal ----------------------------------------------------------------

  @GetMapping("/download")
  public byte[] download(@RequestParam String file) throws Exception {
    // ruleid: java.path-traversal
    File f = new File("/srv/reports/" + file);
    // ok: java.path-traversal
    File g = new File("/srv/reports/", Paths.get(file).getFileName().toString());
    return java.nio.file.Files.readAllBytes(f.toPath());
  }

  @GetMapping("/docs")
  public byte[] docs(@RequestParam String name) throws Exception {
    // ruleid: java.path-traversal
    Path p = UPLOADS.resolve(name);
    Path safe = UPLOADS.resolve(name).normalize();
    if (!safe.startsWith(UPLOADS)) {
      throw new SecurityException("outside the upload folder");
    }
    // ok: java.path-traversal
    return java.nio.file.Files.readAllBytes(new File(safe.toString()).toPath());
  }

  @PostMapping("/upload")
  public void upload(@RequestParam("file") MultipartFile upload) throws Exception {
    // ruleid: java.path-traversal
    upload.transferTo(new File("/srv/uploads/" + upload.getOriginalFilename()));
    // ok: java.path-traversal
    upload.transferTo(new File("/srv/uploads/" + java.util.UUID.randomUUID()));
  }

  // ----- java.ssrf --------------------------------------------------------------------------

  @GetMapping("/preview")
  public String preview(@RequestParam String url) throws Exception {
    // ruleid: java.ssrf
    try (InputStream in = new URL(url).openStream()) {
      return new String(in.readAllBytes());
    }
  }

  @GetMapping("/proxy")
  public String proxy(@RequestParam String target, RestTemplate rest) {
    // ruleid: java.ssrf
    String a = rest.getForObject(target, String.class);
    URI uri = URI.create(target);
    if (!ALLOWED_HOSTS.contains(uri.getHost())) {
      throw new IllegalArgumentException("host not allowed");
    }
    // ok: java.ssrf
    return a + rest.getForObject(uri.toString(), String.class);
  }

  // ----- java.open-redirect -----------------------------------------------------------------

  @GetMapping("/go")
  public ModelAndView go(@RequestParam("next") String next) {
    // ruleid: java.open-redirect
    return new ModelAndView("redirect:" + next);
  }

  public void back(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String target = request.getParameter("target");
    // ruleid: java.open-redirect
    response.sendRedirect(target);
    if (target.startsWith("/") && !target.startsWith("//")) {
      // ok: java.open-redirect
      response.sendRedirect(target);
    }
    // ok: java.open-redirect
    response.sendRedirect("/home");
  }

  private static final java.util.Map<Integer, String> DESTINATIONS = java.util.Map.of(1, "/welcome", 2, "/account");

  @GetMapping("/jump")
  public ModelAndView jump(@RequestParam Integer destId, @RequestParam String tab) {
    // ok: java.open-redirect
    ModelAndView a = new ModelAndView("redirect:" + DESTINATIONS.getOrDefault(destId, "/welcome"));
    // ok: java.open-redirect
    return new ModelAndView("redirect:" + "/account?tab=" + tab);
  }

  @GetMapping("/report/{id}")
  public Object report(@PathVariable long id, HttpServletRequest request) throws Exception {
    // ok: java.sql-injection
    connection.createStatement().executeQuery("SELECT * FROM reports WHERE id = " + id);
    String host = request.getHeader("Host");
    // ruleid: java.ssrf
    Object a = new RestTemplate().getForObject("http://" + host + "/internal/health", String.class);
    // ok: java.ssrf
    return new RestTemplate().getForObject("https://api.example.com/reports/" + id, String.class);
  }

  // ----- java.xss-servlet-response ----------------------------------------------------------

  public void greet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String name = request.getParameter("name");
    // ruleid: java.xss-servlet-response
    response.getWriter().write("<h1>Hello " + name + "</h1>");
    PrintWriter out = response.getWriter();
    // ruleid: java.xss-servlet-response
    out.println("<p>" + request.getHeader("User-Agent") + "</p>");
    // ok: java.xss-servlet-response
    out.println("<h1>Hello " + Encode.forHtml(name) + "</h1>");
    // ok: java.xss-servlet-response
    response.getWriter().write(HtmlUtils.htmlEscape(name));
  }

  public void commentJson(HttpServletRequest request, HttpServletResponse response, CommentManager commentManager) throws Exception {
    Comment c = commentManager.getComment(request.getParameter("id"));
    // ok: java.xss-servlet-response
    response.getWriter().print("{ id: \"" + c.getId() + "\" }");
    String q = request.getParameter("q");
    // ok: java.xss-servlet-response
    response.getWriter().print("<p>" + escapeXml11(q) + "</p>");
  }

  public void tagsJson(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String prefix = request.getParameter("prefix");
    response.setContentType("application/json; charset=utf-8");
    PrintWriter pw = response.getWriter();
    // ok: java.xss-servlet-response
    pw.println("{ \"prefix\": \"" + prefix + "\" }");
  }

  public void searchPage(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String q = request.getParameter("q");
    response.setContentType("text/html; charset=utf-8");
    PrintWriter pw = response.getWriter();
    // ruleid: java.xss-servlet-response
    pw.println("<h2>Results for " + q + "</h2>");
  }

  // ----- java.ldap-injection / java.jndi-injection -------------------------------------------

  public Object ldap(@RequestParam String user, DirContext ctx) throws Exception {
    javax.naming.directory.SearchControls sc = new javax.naming.directory.SearchControls();
    // ruleid: java.ldap-injection
    ctx.search("ou=people,dc=example,dc=com", "(uid=" + user + ")", sc);
    // ok: java.ldap-injection
    return ctx.search("ou=people,dc=example,dc=com", "(uid={0})", new Object[] {user}, sc);
  }

  public Object ldapEncoded(@RequestParam String user, DirContext ctx) throws Exception {
    javax.naming.directory.SearchControls sc = new javax.naming.directory.SearchControls();
    // ok: java.ldap-injection
    return ctx.search("dc=example", "(uid=" + LdapEncoder.filterEncode(user) + ")", sc);
  }

  public Object jndi(@RequestParam String resource) throws Exception {
    InitialContext ic = new InitialContext();
    // ruleid: java.jndi-injection
    Object o = ic.lookup(resource);
    // ok: java.jndi-injection
    return ic.lookup("java:comp/env/jdbc/main");
  }

  // ----- java.xpath-injection ---------------------------------------------------------------

  public Object xpath(@RequestParam String user, XPath xp, org.xml.sax.InputSource doc) throws Exception {
    // ruleid: java.xpath-injection
    Object a = xp.evaluate("/users/user[name='" + user + "']/salary", doc);
    // ok: java.xpath-injection
    return xp.evaluate("/users/user[@id='" + Integer.parseInt(user) + "']/salary", doc);
  }

  // ----- java.unsafe-deserialization --------------------------------------------------------

  @PostMapping("/restore")
  public Object restore(@RequestParam String token) throws Exception {
    byte[] data = java.util.Base64.getDecoder().decode(token);
    // ruleid: java.unsafe-deserialization
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
      return in.readObject();
    }
  }

  public Object restoreFile() throws Exception {
    // ok: java.unsafe-deserialization
    try (ObjectInputStream in = new ObjectInputStream(new FileInputStream("/var/lib/app/cache.bin"))) {
      return in.readObject();
    }
  }

  public Object restoreServlet(HttpServletRequest request) throws Exception {
    // ruleid: java.unsafe-deserialization
    return new ObjectInputStream(request.getInputStream()).readObject();
  }

  // ----- java.template-injection ------------------------------------------------------------

  public String render(@RequestParam String tpl, VelocityContext vc) {
    StringWriter w = new StringWriter();
    // ruleid: java.template-injection
    Velocity.evaluate(vc, w, "page", tpl);
    vc.put("name", tpl);
    // ok: java.template-injection
    Velocity.evaluate(vc, w, "page", "Hello $name");
    return w.toString();
  }

  // ----- java.weak-hash ---------------------------------------------------------------------

  public byte[] hashPassword(String password) throws Exception {
    // ruleid: java.weak-hash
    MessageDigest md = MessageDigest.getInstance("MD5");
    // ruleid: java.weak-hash
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    // ok: java.weak-hash
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    return md.digest(password.getBytes());
  }

  // ----- java.weak-cipher -------------------------------------------------------------------

  public void ciphers() throws Exception {
    // ruleid: java.weak-cipher
    Cipher.getInstance("DES/CBC/PKCS5Padding");
    // ruleid: java.weak-cipher
    Cipher.getInstance("AES/ECB/PKCS5Padding");
    // ruleid: java.weak-cipher
    Cipher.getInstance("AES");
    // ok: java.weak-cipher
    Cipher.getInstance("AES/GCM/NoPadding");
    // ok: java.weak-cipher
    new SecretKeySpec(new byte[32], "AES");
  }

  // ----- java.insecure-random-secret --------------------------------------------------------

  public String newSessionToken() {
    Random random = new Random();
    // ruleid: java.insecure-random-secret
    String token = Long.toHexString(random.nextLong());
    // ok: java.insecure-random-secret
    int retryDelay = random.nextInt(500);
    return token + retryDelay;
  }

  public String newResetToken() {
    java.security.SecureRandom secure = new java.security.SecureRandom();
    byte[] bytes = new byte[32];
    secure.nextBytes(bytes);
    // ok: java.insecure-random-secret
    String resetToken = java.util.Base64.getUrlEncoder().encodeToString(bytes);
    // ruleid: java.insecure-random-secret
    String otp = String.valueOf(100000 + new Random().nextInt(900000));
    return resetToken + otp;
  }

  private final Random jitter = new Random();

  public String newInviteCode() {
    // ruleid: java.insecure-random-secret
    String inviteToken = Integer.toString(jitter.nextInt(1_000_000));
    // ok: java.insecure-random-secret
    long backoffDelay = jitter.nextInt(1000);
    return inviteToken + backoffDelay;
  }

  public String csrfSalt() {
    // ok: java.insecure-random-secret
    String salt = RandomStringUtils.random(20, 0, 0, true, true, null, new SecureRandom());
    // ruleid: java.insecure-random-secret
    String legacySalt = RandomStringUtils.randomAlphanumeric(20);
    return salt + legacySalt;
  }

  public int pickColour() {
    // ok: java.insecure-random-secret
    int colour = new Random().nextInt(7);
    return colour;
  }

  // ----- java.stacktrace-in-response --------------------------------------------------------

  public void fail(HttpServletResponse response, Exception e) throws IOException {
    // ruleid: java.stacktrace-in-response
    e.printStackTrace(response.getWriter());
    // ok: java.stacktrace-in-response
    e.printStackTrace();
  }

  // ----- java.jwt-signature-not-verified ----------------------------------------------------

  public Object claims(String token, byte[] key) {
    // ruleid: java.jwt-signature-not-verified
    Object a = Jwts.parser().setSigningKey(key).parse(token);
    // ok: java.jwt-signature-not-verified
    return Jwts.parser().setSigningKey(key).parseClaimsJws(token).getBody();
  }
}
