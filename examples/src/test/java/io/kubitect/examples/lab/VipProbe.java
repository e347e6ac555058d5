package io.kubitect.examples.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Asks the API endpoint behind the VIP, over and over, who answers: an HTTPS {@code GET /} to
 * {@code VIP:6443} through the load balancers to a master's API-server stand-in, which answers with
 * its node name. Only the stand-in's certificate is trusted. Each attempt is recorded with the
 * host's clock, so the longest time without an answer can be measured around a failure.
 */
final class VipProbe implements AutoCloseable {
  /** One attempt: when it ended and who answered (empty when it failed). */
  record Attempt(long endNanos, Optional<String> answeredBy) {}

  private final String vip;
  private final SSLContext tls;
  private final List<Attempt> attempts = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private VipProbe(String vip, SSLContext tls) {
    this.vip = vip;
    this.tls = tls;
    this.thread = new Thread(this::loop, "e2e-lab-vip-probe");
    this.thread.setDaemon(true);
  }

  /**
   * Starts probing every 50 ms; each attempt gives up after 1 s to connect and 2 s to read (a TLS
   * handshake with a software-emulated node takes 50-150 ms, much more when the host is loaded).
   */
  static VipProbe start(String vip, Path certificate) {
    VipProbe probe = new VipProbe(vip, trusting(certificate));
    probe.thread.start();
    return probe;
  }

  /** One attempt now, outside the probing loop. */
  static Optional<String> once(String vip, Path certificate) {
    return new VipProbe(vip, trusting(certificate)).ask();
  }

  private static SSLContext trusting(Path certificate) {
    try (InputStream in = Files.newInputStream(certificate)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry(
          "apiserver-standin", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + certificate, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust " + certificate, e);
    }
  }

  private void loop() {
    while (running) {
      Optional<String> who = ask();
      synchronized (attempts) {
        attempts.add(new Attempt(System.nanoTime(), who));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Optional<String> ask() {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(vip, 6443), 1000);
      plain.setSoTimeout(2000);
      try (SSLSocket socket =
          (SSLSocket) tls.getSocketFactory().createSocket(plain, vip, 6443, false)) {
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!response.startsWith("HTTP/1.0 200") && !response.startsWith("HTTP/1.1 200")) {
          return Optional.empty();
        }
        int body = response.indexOf("\r\n\r\n");
        return body < 0 ? Optional.empty() : Optional.of(response.substring(body + 4).strip());
      }
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  List<Attempt> attempts() {
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }

  /**
   * The longest time between two answered attempts that ended after {@code fromNanos}, counting
   * from the last answer before it: how long the API was unreachable through the VIP.
   */
  long longestGapMillis(long fromNanos) {
    long previous = -1;
    long longest = 0;
    for (Attempt a : attempts()) {
      if (a.answeredBy().isEmpty()) {
        continue;
      }
      if (a.endNanos() > fromNanos && previous >= 0) {
        longest = Math.max(longest, a.endNanos() - previous);
      }
      previous = a.endNanos();
    }
    return longest / 1_000_000;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
