package io.kubitect.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link EnabledIfLibvirtd}. */
final class LibvirtdCondition implements ExecutionCondition {
  /** libvirt's RPC program number and version ({@code REMOTE_PROGRAM}, protocol version 1). */
  static final int REMOTE_PROGRAM = 0x20008086;

  static final int REMOTE_PROTOCOL_VERSION = 1;

  /** {@code REMOTE_PROC_AUTH_LIST}: no arguments, no authentication, changes nothing. */
  static final int REMOTE_PROC_AUTH_LIST = 66;

  private static final int HEADER = 28;
  private static final int SERIAL = 1;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<EnabledIfLibvirtd> annotation =
        context
            .getElement()
            .flatMap(e -> AnnotationSupport.findAnnotation(e, EnabledIfLibvirtd.class));
    if (annotation.isEmpty()) {
      return ConditionEvaluationResult.enabled("no @EnabledIfLibvirtd");
    }
    Path socket = Path.of(annotation.get().socket());
    Optional<String> problem = problem(socket, TIMEOUT);
    return problem.isEmpty()
        ? ConditionEvaluationResult.enabled("libvirtd answers on " + socket)
        : ConditionEvaluationResult.disabled(
            "@EnabledIfLibvirtd: no libvirtd answers on " + socket + ": " + problem.get());
  }

  /** Why no libvirtd answers on {@code socket}, or empty when one does. */
  static Optional<String> problem(Path socket, Duration timeout) {
    try {
      Object mode = Files.getAttribute(socket, "unix:mode");
      if (!(mode instanceof Integer m) || (m & 0xF000) != 0xC000) {
        return Optional.of("it is not a socket");
      }
    } catch (NoSuchFileException e) {
      return Optional.of("the socket does not exist (is libvirtd installed and started?)");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.of("cannot inspect the socket: " + e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      try {
        if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
          channel.register(selector, SelectionKey.OP_CONNECT);
          while (!channel.finishConnect()) {
            if (!await(selector, deadline)) {
              return Optional.of("connecting timed out after " + timeout.toMillis() + " ms");
            }
          }
        }
      } catch (IOException e) {
        return Optional.of("connecting failed: " + e.getMessage());
      }
      ByteBuffer call = ByteBuffer.allocate(HEADER);
      call.putInt(HEADER)
          .putInt(REMOTE_PROGRAM)
          .putInt(REMOTE_PROTOCOL_VERSION)
          .putInt(REMOTE_PROC_AUTH_LIST)
          .putInt(0) // VIR_NET_CALL
          .putInt(SERIAL)
          .putInt(0) // VIR_NET_OK
          .flip();
      SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
      while (call.hasRemaining()) {
        if (channel.write(call) == 0 && !await(selector, deadline)) {
          return Optional.of("sending a call timed out");
        }
      }
      key.interestOps(SelectionKey.OP_READ);
      ByteBuffer reply = ByteBuffer.allocate(HEADER);
      while (reply.hasRemaining()) {
        int read = channel.read(reply);
        if (read < 0) {
          return Optional.of(
              "the connection closed before a reply ("
                  + reply.position()
                  + " of "
                  + HEADER
                  + " header bytes); is this a libvirt socket?");
        }
        if (read == 0 && !await(selector, deadline)) {
          return Optional.of("no reply within " + timeout.toMillis() + " ms");
        }
      }
      reply.flip();
      int length = reply.getInt();
      int program = reply.getInt();
      int version = reply.getInt();
      int procedure = reply.getInt();
      int type = reply.getInt();
      int serial = reply.getInt();
      if (length < HEADER
          || program != REMOTE_PROGRAM
          || version != REMOTE_PROTOCOL_VERSION
          || procedure != REMOTE_PROC_AUTH_LIST
          || type != 1 // VIR_NET_REPLY
          || serial != SERIAL) {
        return Optional.of(
            String.format(
                "the reply is not libvirt's (length %d, program 0x%08x, version %d, procedure %d,"
                    + " type %d, serial %d)",
                length, program, version, procedure, type, serial));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("talking to it failed: " + e.getMessage());
    }
  }

  /** Waits for the registered operation until {@code deadline}; false when it passed. */
  private static boolean await(Selector selector, long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    selector.select(Math.max(1, left / 1_000_000));
    selector.selectedKeys().clear();
    return System.nanoTime() < deadline;
  }
}
