// Test cases for java-security.yaml: configuration-style code (TLS, cookies, Spring Security,
// XML parsers). Not compiled; it must parse as Java.
package test.rules;

import java.security.cert.X509Certificate;
import javax.net.ssl.*;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLInputFactory;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.HttpClients;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseCookie;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

// ----- java.tls-verification-disabled --------------------------------------------------------

class TrustEverything implements X509TrustManager {
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  // ruleid: java.tls-verification-disabled
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}

class PinnedTrust implements X509TrustManager {
  private final X509TrustManager delegate;

  PinnedTrust(X509TrustManager delegate) {
    this.delegate = delegate;
  }

  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  // ok: java.tls-verification-disabled
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws java.security.cert.CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}

class Clients {
  void relax(HttpsURLConnection conn) {
    // ruleid: java.tls-verification-disabled
    conn.setHostnameVerifier((host, session) -> true);
    // ok: java.tls-verification-disabled
    conn.setHostnameVerifier(HttpsURLConnection.getDefaultHostnameVerifier());
  }

  Object apache() {
    // ruleid: java.tls-verification-disabled
    return HttpClients.custom().setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE).build();
  }
}

// ----- java.cookie-missing-secure-httponly ---------------------------------------------------

class Cookies {
  void login(HttpServletResponse response, String sessionId) {
    Cookie cookie = new Cookie("SESSION", sessionId);
    cookie.setPath("/");
    // ruleid: java.cookie-missing-secure-httponly
    response.addCookie(cookie);
  }

  void loginSafe(HttpServletResponse response, String sessionId) {
    Cookie cookie = new Cookie("SESSION", sessionId);
    cookie.setSecure(true);
    cookie.setHttpOnly(true);
    // ok: java.cookie-missing-secure-httponly
    response.addCookie(cookie);
  }

  void logout(HttpServletResponse response) {
    Cookie cookie = new Cookie("SESSION", "");
    cookie.setMaxAge(0);
    // ok: java.cookie-missing-secure-httponly
    response.addCookie(cookie);
  }

  String springCookies(String token) {
    // ruleid: java.cookie-missing-secure-httponly
    ResponseCookie weak = ResponseCookie.from("token", token).path("/").build();
    // ok: java.cookie-missing-secure-httponly
    ResponseCookie strong = ResponseCookie.from("token", token).secure(true).httpOnly(true).sameSite("Strict").build();
    return weak.toString() + strong;
  }
}

// ----- java.spring-csrf-disabled / java.spring-security-debug-enabled ------------------------

// ruleid: java.spring-security-debug-enabled
@EnableWebSecurity(debug = true)
class SessionAppSecurity {
  @Bean
  SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .formLogin(f -> f.loginPage("/login"))
        // ruleid: java.spring-csrf-disabled
        .csrf(csrf -> csrf.disable());
    return http.build();
  }
}

// ok: java.spring-security-debug-enabled
@EnableWebSecurity
class StatelessApiSecurity {
  @Bean
  SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
    http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // ok: java.spring-csrf-disabled
        .csrf(csrf -> csrf.disable())
        .oauth2ResourceServer(o -> o.jwt(j -> {}));
    return http.build();
  }

  @Bean
  SecurityFilterChain legacy(HttpSecurity http) throws Exception {
    // ruleid: java.spring-csrf-disabled
    http.csrf().disable();
    // ok: java.spring-csrf-disabled
    http.csrf(c -> c.csrfTokenRepository(org.springframework.security.web.csrf.CookieCsrfTokenRepository.withHttpOnlyFalse()));
    return http.build();
  }
}

// ----- java.xxe-parser-not-hardened ----------------------------------------------------------

class XmlParsing {
  Object parse(java.io.InputStream in) throws Exception {
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    // ruleid: java.xxe-parser-not-hardened
    return dbf.newDocumentBuilder().parse(in);
  }

  Object parseSafe(java.io.InputStream in) throws Exception {
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    // ok: java.xxe-parser-not-hardened
    return dbf.newDocumentBuilder().parse(in);
  }

  Object stax(String xml) throws Exception {
    XMLInputFactory xif = XMLInputFactory.newInstance();
    // ruleid: java.xxe-parser-not-hardened
    return xif.createXMLStreamReader(new java.io.StringReader(xml));
  }

  Object staxSafe(String xml) throws Exception {
    XMLInputFactory xif = XMLInputFactory.newInstance();
    xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    // ok: java.xxe-parser-not-hardened
    return xif.createXMLStreamReader(new java.io.StringReader(xml));
  }

  Object staxMaybe(String xml, boolean secure) throws Exception {
    XMLInputFactory xif = XMLInputFactory.newInstance();
    if (secure) {
      xif.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    }
    // ruleid: java.xxe-parser-not-hardened
    return xif.createXMLStreamReader(new java.io.StringReader(xml));
  }
}
