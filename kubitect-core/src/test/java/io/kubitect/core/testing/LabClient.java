package io.kubitect.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A client of {@code VIP:6443} in the lab: one new TLS connection per request (so every request
 * shows where a fresh client lands), answering with the name of the master that served it.
 */
public final class LabClient {
  private static final SSLContext TLS = trustAll();

  private LabClient() {}

  /** The name of the master that answered {@code GET /}, or empty when the request failed. */
  public static Optional<String> whoServes(String ip, int port, Duration timeout) {
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(ip, port), (int) timeout.toMillis());
      raw.setSoTimeout((int) timeout.toMillis());
      try (SSLSocket tls = (SSLSocket) TLS.getSocketFactory().createSocket(raw, ip, port, false)) {
        tls.startHandshake();
        OutputStream out = tls.getOutputStream();
        out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = tls.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (!response.startsWith("HTTP/1.0 200")) {
          return Optional.empty();
        }
        int body = response.indexOf("\r\n\r\n");
        return body < 0 ? Optional.empty() : Optional.of(response.substring(body + 4).strip());
      }
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManager trustAll =
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
      context.init(null, new TrustManager[] {trustAll}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
