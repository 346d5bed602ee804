// Test cases for secrets-java.yaml (run: semgrep --test controls/rules).
// Every credential below is FAKE. This file is never compiled.
package org.example.secrets;

public class Secrets {
  // ruleid: secrets.java-hardcoded-password
  private static final String JWT_PASSWORD = "bm5nFAKEtestOnly4";
  // ruleid: secrets.java-hardcoded-password
  String PASSWORD = "!!fake_admin_1234!!";
  // ruleid: secrets.java-hardcoded-password
  public static final String DEFAULT_PASSWORD = "admin";

  // ok: secrets.java-hardcoded-password
  private static final String PASSWORD_PARAMETER = "password";
  // ok: secrets.java-hardcoded-password
  private static final String API_KEY = "${API_KEY}";
  // ok: secrets.java-hardcoded-password
  private String clientSecret = System.getenv("CLIENT_SECRET");
  // ok: secrets.java-hardcoded-password
  private static final String USERNAME = "fakeadmin";

  void configure(DataSourceConfig config) {
    // ruleid: secrets.java-hardcoded-password
    config.password = "s3cr3tFAKE";
    // ok: secrets.java-hardcoded-password
    config.password = "";
    // ruleid: secrets.java-hardcoded-password
    String dbPassword = "hunter2hunter2";
    // ok: secrets.java-hardcoded-password
    String label = "Enter your password";
  }
}
