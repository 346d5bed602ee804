package com.acme.billing;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.PrintWriter;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.owasp.encoder.Encode;

/** Legacy export endpoint kept for the desktop client: converts a report and echoes the job. */
public class ExportServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String report = request.getParameter("report");
    String format = request.getParameter("format");
    response.setContentType("text/html");
    PrintWriter out = response.getWriter();
    out.println("<h1>Export of " + report + "</h1>"); // PLANTED CWE-79
    out.println("<p>Format: " + Encode.forHtml(format) + "</p>"); // SAFE-TWIN CWE-79

    Runtime.getRuntime().exec("/opt/acme/bin/render-report --format " + format + " " + report); // PLANTED CWE-78
    new ProcessBuilder("/opt/acme/bin/render-report", "--pages", String.valueOf(Integer.parseInt(request.getParameter("pages")))).start(); // SAFE-TWIN CWE-78
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    try (ObjectInputStream in = new ObjectInputStream(request.getInputStream())) { // PLANTED CWE-502
      Object job = in.readObject();
      response.getWriter().println("queued " + job.hashCode());
    } catch (ClassNotFoundException e) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST);
    }
  }
}
