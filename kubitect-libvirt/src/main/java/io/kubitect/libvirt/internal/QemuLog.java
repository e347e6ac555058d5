package io.kubitect.libvirt.internal;

import io.kubitect.core.spi.HostLayout;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.HostSsh;
import io.kubitect.model.SpecDefaults;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The end of a domain's QEMU log ({@code /var/log/libvirt/qemu/<domain>.log} on its host), read
 * when the domain died while its node's readiness was awaited: from the file on a local host, over
 * the system ssh (verified like the host's {@code qemu+ssh} connection) on a remote one. At most
 * the last {@value #MAX_BYTES} bytes are read, the last {@value #LINES} lines of the domain's last
 * run are kept, each cut at {@value #MAX_LINE} characters with control characters replaced: a log
 * can be huge or hold anything its guest made QEMU print.
 */
final class QemuLog {
  static final Path SYSTEM_DIR = Path.of("/var/log/libvirt/qemu");
  static final int MAX_BYTES = 64 * 1024;
  static final int LINES = 10;
  static final int MAX_LINE = 240;
  static final Duration SSH_TIMEOUT = Duration.ofSeconds(10);

  /** What QEMU prints when KVM cannot run the guest (broken or nested virtualisation). */
  private static final List<String> KVM_FAILURES =
      List.of(
          "KVM internal error",
          "emulation failure",
          "failed to set MSR",
          "KVM: entry failed",
          "kvm run failed");

  /**
   * libvirt's line at every start of the domain: the log's part after the last one is this run's.
   */
  private static final String START_MARK = "starting up libvirt version";

  private static final Pattern DOMAIN_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,200}");

  private QemuLog() {}

  /** Where a host's QEMU logs are read from. */
  @FunctionalInterface
  interface Source {
    /** The tail of {@code domain}'s log; never throws. {@code cancellation} ends an ssh read. */
    Tail read(String domain, Cancellation cancellation);
  }

  /**
   * What was read.
   *
   * @param where the file, with the host it is on when remote; empty when there is none
   * @param lines the last lines of the domain's last run (empty when unreadable or empty)
   * @param unreadable why it could not be read
   * @param kvmFailure whether the domain's last run shows KVM failing to run the guest
   */
  record Tail(String where, List<String> lines, Optional<String> unreadable, boolean kvmFailure) {
    Tail {
      lines = List.copyOf(lines);
    }

    static Tail unreadable(String where, String why) {
      return new Tail(where, List.of(), Optional.of(why), false);
    }

    /** One line, or a heading and the indented log lines. */
    String describe(String indent) {
      if (unreadable.isPresent()) {
        return "QEMU log not readable: "
            + unreadable.get()
            + (where.isEmpty() ? "" : " (" + where + ")");
      }
      if (lines.isEmpty()) {
        return "QEMU log " + where + " is empty";
      }
      StringBuilder text =
          new StringBuilder("last " + lines.size() + " lines of its QEMU log " + where + ":");
      for (String line : lines) {
        text.append('\n').append(indent).append("| ").append(line);
      }
      return text.toString();
    }
  }

  /**
   * The source for a host: the local file for a local host (or a host given {@code qemu:///system}
   * with {@code hostUri}), ssh for a remote one; none for other URIs given with {@code hostUri}
   * (the test driver has no QEMU), which says so.
   */
  static Source forHost(HostLayout host, Settings settings) {
    String given = settings.hostUris().get(host.name());
    if (given != null) {
      if (given.equals("qemu:///system")) {
        return local(SYSTEM_DIR);
      }
      String why =
          "host "
              + host.name()
              + " is reached through "
              + HostUris.display(given)
              + " (given with hostUri), whose QEMU logs are not read";
      return (domain, cancellation) -> Tail.unreadable("", why);
    }
    if (host.connection().type().orElse(ConnectionType.LOCAL) != ConnectionType.REMOTE) {
      return local(SYSTEM_DIR);
    }
    HostSsh ssh = host.connection().ssh();
    String display =
        host.connection().user().orElse("root")
            + "@"
            + host.connection().ip().orElse("?")
            + ":"
            + ssh.port().orElse(SpecDefaults.SSH_PORT);
    return overSsh(sshCommand(host, settings), display, SYSTEM_DIR);
  }

  /** Reads {@code dir/<domain>.log} on this machine. */
  static Source local(Path dir) {
    return (domain, cancellation) -> {
      if (!DOMAIN_NAME.matcher(domain).matches()) {
        return Tail.unreadable(dir.toString(), "not a domain name: " + clean(domain));
      }
      Path file = dir.resolve(domain + ".log");
      String where = file.toString();
      try {
        if (!Files.isRegularFile(file)) {
          return Tail.unreadable(
              where, Files.exists(file) ? "not a regular file" : "there is no such file");
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
          long size = channel.size();
          long from = Math.max(0, size - MAX_BYTES);
          channel.position(from);
          ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(MAX_BYTES, size - from));
          while (buffer.hasRemaining() && channel.read(buffer) > 0) {
            // until the end seen at the start: a log still growing is not followed
          }
          return parse(where, Arrays.copyOf(buffer.array(), buffer.position()), from > 0);
        }
      } catch (AccessDeniedException e) {
        return Tail.unreadable(
            where,
            "permission denied (libvirt's QEMU logs are root's; this JVM runs as "
                + System.getProperty("user.name")
                + ")");
      } catch (NoSuchFileException e) {
        return Tail.unreadable(where, "there is no such file");
      } catch (IOException e) {
        return Tail.unreadable(where, clean(String.valueOf(e.getMessage())));
      }
    };
  }

  /**
   * Reads {@code dir/<domain>.log} on a remote host: {@code command} (the ssh client and its
   * options, ending with the destination; {@code display} names it) runs {@code tail -c MAX_BYTES}
   * there, at most {@link #SSH_TIMEOUT}; a cancel ends it.
   */
  static Source overSsh(List<String> command, String display, Path dir) {
    return overSsh(command, display, dir, SSH_TIMEOUT);
  }

  /** The same, giving ssh {@code timeout} (tests). */
  static Source overSsh(List<String> command, String display, Path dir, Duration timeout) {
    List<String> fixed = List.copyOf(command);
    return (domain, cancellation) -> {
      if (!DOMAIN_NAME.matcher(domain).matches()) {
        return Tail.unreadable(dir.toString(), "not a domain name: " + clean(domain));
      }
      String file = dir.resolve(domain + ".log").toString();
      String where = display + ":" + file;
      List<String> ssh = new ArrayList<>(fixed);
      ssh.add("tail -c " + MAX_BYTES + " -- '" + file + "'");
      return runSsh(ssh, where, timeout, cancellation);
    };
  }

  private static Tail runSsh(
      List<String> command, String where, Duration timeout, Cancellation cancellation) {
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      return Tail.unreadable(where, "cannot run ssh: " + clean(String.valueOf(e.getMessage())));
    }
    CompletableFuture<byte[]> out = drain(process.getInputStream(), MAX_BYTES);
    CompletableFuture<byte[]> err = drain(process.getErrorStream(), 4096);
    boolean ended = false;
    try {
      ended =
          cancellation.interruptibly(
              () -> {
                try {
                  return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt(); // kept, unless the cancel's
                  return false;
                }
              });
    } catch (Cancellation.CancelledException e) {
      return Tail.unreadable(where, "not read: the apply was cancelled");
    } finally {
      if (!ended) {
        process.destroyForcibly();
      }
    }
    if (!ended) {
      return Tail.unreadable(
          where,
          cancellation.isCancelled()
              ? "not read: the apply was cancelled"
              : "ssh did not finish within "
                  + (timeout.toMillis() % 1000 == 0
                      ? timeout.toSeconds() + " s"
                      : timeout.toMillis() + " ms"));
    }
    if (process.exitValue() != 0) {
      List<String> said = lines(new String(err.join(), StandardCharsets.UTF_8));
      return Tail.unreadable(
          where,
          (process.exitValue() == 255 ? "ssh failed: " : "")
              + (said.isEmpty()
                  ? "exit code " + process.exitValue()
                  : said.get(said.size() - 1).strip()));
    }
    byte[] bytes = out.join();
    return parse(where, bytes, bytes.length >= MAX_BYTES);
  }

  /** Reads a stream to its end on its own thread, keeping its first {@code keep} bytes. */
  private static CompletableFuture<byte[]> drain(InputStream in, int keep) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              ByteArrayOutputStream kept = new ByteArrayOutputStream();
              byte[] buffer = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  int room = keep - kept.size();
                  if (room > 0) {
                    kept.write(buffer, 0, Math.min(room, n));
                  }
                }
              } catch (IOException e) {
                // the process was ended: what was read is all there is
              }
              result.complete(kept.toByteArray());
            },
            "kubitect-qemu-log");
    reader.setDaemon(true);
    reader.start();
    return result;
  }

  /**
   * The tail of a log read as {@code bytes}; {@code cut}: the bytes start inside the file, so their
   * first line is partial and dropped (unless it is the only one).
   */
  static Tail parse(String where, byte[] bytes, boolean cut) {
    List<String> all = lines(new String(bytes, StandardCharsets.UTF_8));
    if (cut && all.size() > 1) {
      all = all.subList(1, all.size());
    } else if (cut && all.size() == 1) {
      all = List.of("..." + all.get(0)); // one line longer than what is read: its end
    }
    int start = 0;
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).contains(START_MARK)) {
        start = i;
        break;
      }
    }
    List<String> run = all.subList(start, all.size());
    int failure = -1;
    for (int i = 0; i < run.size() && failure < 0; i++) {
      String line = run.get(i);
      if (KVM_FAILURES.stream().anyMatch(line::contains)) {
        failure = i;
      }
    }
    int from = Math.max(0, run.size() - LINES);
    List<String> last = new ArrayList<>();
    if (failure >= 0 && failure < from) {
      // QEMU's register dump follows the KVM error: keep the line that says what failed
      last.add(clean(run.get(failure)));
      last.add("...");
      from += 2;
    }
    for (String line : run.subList(from, run.size())) {
      last.add(clean(line));
    }
    return new Tail(where, last, Optional.empty(), failure >= 0);
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /**
   * At most {@link #MAX_LINE} characters, control characters replaced by '?', trailing blanks
   * dropped.
   */
  static String clean(String text) {
    String line = text.stripTrailing();
    StringBuilder clean = new StringBuilder();
    for (int i = 0; i < line.length() && clean.length() < MAX_LINE; i++) {
      char c = line.charAt(i);
      clean.append(c == '\t' || (!Character.isISOControl(c) && !isFormat(c)) ? c : '?');
    }
    if (line.length() > MAX_LINE) {
      clean.append("...");
    }
    return clean.toString();
  }

  /** Bidirectional overrides and other invisible format characters that could disguise text. */
  private static boolean isFormat(char c) {
    return Character.getType(c) == Character.FORMAT;
  }

  /**
   * The system ssh as libvirt's {@code qemu+ssh} uses it for this host: batch mode (nothing is
   * asked), the host's user, port and key file, and the host key checked against the provisioner's
   * known_hosts only ({@code verify: false}: not checked, and nothing written); the destination
   * last.
   */
  static List<String> sshCommand(HostLayout host, Settings settings) {
    HostSsh ssh = host.connection().ssh();
    List<String> command = new ArrayList<>();
    command.add("ssh");
    command.addAll(List.of("-o", "BatchMode=yes", "-o", "ConnectTimeout=10"));
    command.addAll(List.of("-o", "LogLevel=ERROR"));
    if (ssh.verify().orElse(true)) {
      command.addAll(
          List.of(
              "-o",
              "StrictHostKeyChecking=yes",
              "-o",
              "UserKnownHostsFile=\"" + settings.knownHosts() + "\"",
              "-o",
              "GlobalKnownHostsFile=/dev/null"));
    } else {
      command.addAll(
          List.of("-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"));
    }
    ssh.keyfile()
        .ifPresent(key -> command.addAll(List.of("-i", Layout.expand(key, settings.home()))));
    command.addAll(
        List.of(
            "-p",
            String.valueOf(ssh.port().orElse(SpecDefaults.SSH_PORT)),
            "-l",
            host.connection().user().orElse("root"),
            "--",
            host.connection().ip().orElse("?")));
    return command;
  }
}
