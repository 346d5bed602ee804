package com.acme.billing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import javax.crypto.Cipher;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;

/** Password reset tokens, the remember-me cookie and encryption of stored card references. */
public class AccountSecurity {

  private final Random random = new Random();
  private final SecureRandom secureRandom = new SecureRandom();

  public String newResetToken() {
    String resetToken = Long.toHexString(random.nextLong()); // PLANTED CWE-330
    return resetToken;
  }

  public String newApiKey() {
    byte[] bytes = new byte[32];
    secureRandom.nextBytes(bytes);
    String apiKey = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes); // SAFE-TWIN CWE-330
    return apiKey;
  }

  public byte[] legacyPasswordHash(String password) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("MD5"); // PLANTED CWE-328
    return digest.digest(password.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] invoiceChecksum(byte[] pdf) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(pdf); // SAFE-TWIN CWE-328
  }

  public Cipher cardCipher() throws Exception {
    return Cipher.getInstance("DES/ECB/PKCS5Padding"); // PLANTED CWE-327
  }

  public Cipher cardCipherV2() throws Exception {
    return Cipher.getInstance("AES/GCM/NoPadding"); // SAFE-TWIN CWE-327
  }

  public void rememberMe(HttpServletResponse response, String token) {
    Cookie cookie = new Cookie("remember_me", token);
    cookie.setMaxAge(14 * 24 * 3600);
    response.addCookie(cookie); // PLANTED CWE-614
  }

  public void sessionHint(HttpServletResponse response, String token) {
    Cookie cookie = new Cookie("session_hint", token);
    cookie.setSecure(true);
    cookie.setHttpOnly(true);
    response.addCookie(cookie); // SAFE-TWIN CWE-614
  }
}
