package io.kubitect.libvirt.internal;

import io.kubitect.core.spi.SshKeyPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An OpenSSH server the test starts itself on loopback: root login by key only, its own host key,
 * and a known_hosts file holding that key, so qemu+ssh is tested with host-key verification on.
 */
final class SshServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path clientKey;
  private final Path knownHosts;
  private final Path log;

  private SshServer(Process process, int port, Path clientKey, Path knownHosts, Path log) {
    this.process = process;
    this.port = port;
    this.clientKey = clientKey;
    this.knownHosts = knownHosts;
    this.log = log;
  }

  static SshServer start(Path dir) throws IOException, InterruptedException {
    Tools.requireTool("/usr/sbin/sshd");
    Tools.requireTool("ssh");
    Tools.require(Files.isDirectory(Path.of("/run/sshd")), "/run/sshd is missing");
    Tools.require("root".equals(System.getProperty("user.name")), "sshd tests run as root");
    SshKeyPair hostKey = SshKeyPair.generateEd25519("test-sshd");
    SshKeyPair client = SshKeyPair.generateEd25519("test-client");
    Path hostKeyFile = secret(dir.resolve("ssh_host_ed25519_key"), hostKey.privateKey());
    Path clientKey = secret(dir.resolve("id_ed25519"), client.privateKey());
    Files.writeString(dir.resolve("id_ed25519.pub"), client.publicKey() + "\n");
    Path authorized = secret(dir.resolve("authorized_keys"), client.publicKey() + "\n");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path config =
        Files.writeString(
            dir.resolve("sshd_config"),
            String.join(
                "\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKeyFile,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized,
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "LogLevel VERBOSE",
                ""));
    Path knownHosts =
        Files.writeString(
            dir.resolve("known_hosts"),
            "[127.0.0.1]:" + port + " " + hostKey.publicKeyWithoutComment() + "\n");
    Path log = dir.resolve("sshd.log");
    Process process =
        new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    SshServer server = new SshServer(process, port, clientKey, knownHosts, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
        return server;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          server.close();
          throw new IllegalStateException("sshd did not start:\n" + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
  }

  private static Path secret(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  int port() {
    return port;
  }

  Path clientKey() {
    return clientKey;
  }

  Path knownHosts() {
    return knownHosts;
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  List<String> unused() {
    return List.of();
  }
}
