package com.acme.billing;

import java.io.InputStream;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import javax.xml.parsers.DocumentBuilderFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.w3c.dom.Document;

/** Web security, the partner ERP client's TLS setup and the XML invoice importer. */
@Configuration
public class SecurityConfig {

  @Bean
  SecurityFilterChain web(HttpSecurity http) throws Exception {
    http.csrf(csrf -> csrf.disable()); // PLANTED CWE-352
    http.formLogin(form -> form.loginPage("/login")).authorizeHttpRequests(a -> a.anyRequest().authenticated());
    return http.build();
  }

  /** The ERP test system has a self-signed certificate. */
  static class ErpTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    public void checkServerTrusted(X509Certificate[] chain, String authType) {} // PLANTED CWE-295

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  public Document importInvoice(InputStream xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    return factory.newDocumentBuilder().parse(xml); // PLANTED CWE-611
  }

  public Document importCreditNote(InputStream xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(xml); // SAFE-TWIN CWE-611
  }
}
