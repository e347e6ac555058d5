package io.kubitect.core;

import io.kubitect.model.KubitectException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An exclusive lock on one cluster, held while an apply or destroy runs. It is an OS file lock, so
 * it is released when the process dies, even by {@code kill -9}; the file also names its holder, so
 * the second caller learns who holds it.
 */
final class ClusterLock implements AutoCloseable {
  /** Takes of the lock cut short by interrupts before giving up (one is the norm). */
  private static final int MAX_ATTEMPTS = 100;

  private final FileChannel channel;
  private final FileLock lock;

  private ClusterLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock or fails at once.
   *
   * @throws ClusterBusyException naming the holder when another apply or destroy runs
   */
  static ClusterLock acquire(Path file, String cluster, String operation) {
    // File channels close themselves when an interrupted thread uses them: keep a pending
    // cancellation for the apply to see, but out of the lock's way.
    boolean interrupted = Thread.interrupted();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return acquireUninterrupted(file, cluster, operation);
        } catch (KubitectException e) {
          // An interrupt that came while the lock was being taken closed the channel (and with it
          // any lock on it): remember it for the apply, and take the lock again.
          if (!(e.getCause() instanceof ClosedByInterruptException) || attempt == MAX_ATTEMPTS) {
            throw e;
          }
          interrupted |= Thread.interrupted();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ClusterLock acquireUninterrupted(Path file, String cluster, String operation) {
    FileChannel channel;
    ClusterDirectory.createPrivateDirectories(ClusterDirectory.parentOf(file));
    try {
      channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new KubitectException(
          "cannot open the lock file " + file + ": " + ClusterDirectory.describe(e), e);
    }
    @Nullable FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      close(channel);
      throw new KubitectException("cannot lock " + file + ": " + ClusterDirectory.describe(e), e);
    }
    if (lock == null) {
      String holder = holder(channel);
      close(channel);
      throw new ClusterBusyException(cluster, holder);
    }
    try {
      String me =
          operation
              + " by pid "
              + ProcessHandle.current().pid()
              + " on "
              + hostName()
              + " since "
              + Instant.now();
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
    } catch (IOException e) {
      close(channel);
      throw new KubitectException(
          "cannot write the lock file " + file + ": " + ClusterDirectory.describe(e), e);
    }
    return new ClusterLock(channel, lock);
  }

  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(512);
      int n = channel.read(buffer, 0);
      return n <= 0 ? "another process" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "another process";
    }
  }

  private static String hostName() {
    return HostName.NAME;
  }

  /**
   * This machine's name, found once per JVM: it only labels the lock for the next caller. Linux
   * says it in /proc without a lookup; elsewhere {@code getLocalHost} also resolves the name, which
   * takes as long as the resolver does (seconds where the name does not resolve).
   */
  private static final class HostName {
    static final String NAME = find();

    private static String find() {
      try {
        String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        if (!name.isEmpty()) {
          return name;
        }
      } catch (IOException | RuntimeException e) {
        // Not Linux, or /proc not mounted: ask the resolver.
      }
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "this machine";
      }
    }
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to release.
    }
  }

  @Override
  public void close() {
    boolean interrupted = Thread.interrupted();
    try {
      channel.truncate(0);
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases the lock anyway.
    } finally {
      close(channel);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
