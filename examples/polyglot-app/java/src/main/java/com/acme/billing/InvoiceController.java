package com.acme.billing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.servlet.ModelAndView;

/** Invoices: search, PDF download, webhook test and the post-payment redirect. */
@RestController
public class InvoiceController {

  private static final Path ARCHIVE = Paths.get("/var/lib/billing/invoices");
  private static final Set<String> WEBHOOK_HOSTS = Set.of("hooks.acme-partner.example", "erp.acme.example");

  private final JdbcTemplate jdbc;
  private final RestTemplate http = new RestTemplate();

  public InvoiceController(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @GetMapping("/invoices")
  public List<Map<String, Object>> search(@RequestParam String customer, @RequestParam String status) {
    String sql = "SELECT id, total, status FROM invoices WHERE customer = '" + customer + "'";
    List<Map<String, Object>> byCustomer = jdbc.queryForList(sql); // PLANTED CWE-89
    List<Map<String, Object>> byStatus =
        jdbc.queryForList("SELECT id, total FROM invoices WHERE status = ?", status); // SAFE-TWIN CWE-89
    byCustomer.addAll(byStatus);
    return byCustomer;
  }

  @GetMapping("/invoices/{id}/total")
  public Object total(@PathVariable long id) {
    return jdbc.queryForList("SELECT total FROM invoices WHERE id = " + id); // SAFE-TWIN CWE-89
  }

  @GetMapping("/invoices/pdf")
  public byte[] pdf(@RequestParam String file) throws IOException {
    return Files.readAllBytes(Paths.get("/var/lib/billing/invoices/" + file)); // PLANTED CWE-22
  }

  @GetMapping("/invoices/archive")
  public byte[] archived(@RequestParam String name) throws IOException {
    Path requested = ARCHIVE.resolve(name).normalize(); // SAFE-TWIN CWE-22
    if (!requested.startsWith(ARCHIVE)) {
      throw new IllegalArgumentException("not an archived invoice");
    }
    return Files.readAllBytes(requested);
  }

  @PostMapping("/webhooks/test")
  public String testWebhook(@RequestParam String callbackUrl) {
    return http.getForObject(callbackUrl, String.class); // PLANTED CWE-918
  }

  @PostMapping("/webhooks/verify")
  public String verifyWebhook(@RequestParam String callbackUrl) {
    URI uri = URI.create(callbackUrl);
    if (!WEBHOOK_HOSTS.contains(uri.getHost())) {
      throw new IllegalArgumentException("unknown webhook host");
    }
    return http.getForObject(uri.toString(), String.class); // SAFE-TWIN CWE-918
  }

  @GetMapping("/payment/done")
  public ModelAndView paymentDone(@RequestParam("returnTo") String returnTo) {
    return new ModelAndView("redirect:" + returnTo); // PLANTED CWE-601
  }

  @GetMapping("/payment/cancelled")
  public ModelAndView paymentCancelled(@RequestParam("invoice") String invoice) {
    return new ModelAndView("redirect:/invoices/view?id=" + invoice); // SAFE-TWIN CWE-601
  }

  @GetMapping("/invoices/count")
  public ResponseEntity<Integer> count() {
    return ResponseEntity.ok(jdbc.queryForObject("SELECT COUNT(*) FROM invoices", Integer.class));
  }
}
