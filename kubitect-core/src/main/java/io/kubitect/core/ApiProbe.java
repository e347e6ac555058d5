package io.kubitect.core;

import io.kubitect.core.ClusterHealth.Check;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Asks an API server for {@code GET /readyz} over TLS, as HAProxy's health check does. It sends no
 * credentials and reads only the status line, so the server's certificate is not verified: the
 * answer says whether the API server is ready, not who it is (SSH already verified the nodes).
 */
final class ApiProbe {
  /** Longest status line read: an API server's is under 40 bytes. */
  private static final int MAX_LINE = 256;

  private static final SSLContext TLS = unverified();

  private ApiProbe() {}

  static Check readyz(String host, int port, Duration timeout) {
    String where = "https://" + host + ":" + port + "/readyz";
    int ms = (int) timeout.toMillis();
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(host, port), ms);
      raw.setSoTimeout(ms);
      try (SSLSocket tls =
          (SSLSocket) TLS.getSocketFactory().createSocket(raw, host, port, false)) {
        tls.startHandshake();
        OutputStream out = tls.getOutputStream();
        out.write(
            ("GET /readyz HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = statusLine(tls.getInputStream());
        String[] parts = status.split(" ", 3);
        if (parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].equals("200")) {
          return Check.ok(where + " answers 200");
        }
        return Check.failed(
            where + " answers " + (status.isEmpty() ? "nothing" : "'" + printable(status) + "'"));
      }
    } catch (IOException e) {
      return Check.failed(where + ": " + describe(e));
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n' && line.length() < MAX_LINE; b = in.read()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static String printable(String text) {
    return text.codePoints()
        .map(c -> c < 0x20 || c > 0x7e ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " (" + printable(message) + ")");
  }

  private static SSLContext unverified() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManager any =
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          };
      context.init(null, new TrustManager[] {any}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is missing from this JDK", e);
    }
  }
}
