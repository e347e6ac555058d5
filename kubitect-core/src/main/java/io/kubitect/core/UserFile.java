package io.kubitect.core;

import io.kubitect.model.KubitectException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A file of the user's that an apply updates, such as {@code ~/.kube/config} or {@code
 * ~/.ssh/known_hosts}: read with bounds, changed under a lock, written atomically with mode 0600.
 *
 * <p>The lock is an OS file lock on a hidden sibling ({@code .config.kubitect-lock}), so applies in
 * other processes wait for each other, plus a lock per file in this JVM (OS file locks are per
 * process). The lock file stays: removing it would let two processes lock different files of the
 * same name. A file that is a symbolic link or not a regular file is never written: the change is
 * refused with a {@link Unusable} that says why, and the file is left as it was.
 */
final class UserFile {
  /** The largest file that is read; a kubeconfig or known_hosts is far smaller. */
  static final long MAX_BYTES = 16L * 1024 * 1024;

  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_THIS_JVM =
      new ConcurrentHashMap<>();

  /** The file cannot be changed safely; it was left as it was. The message is one line. */
  static final class Unusable extends KubitectException {
    private static final long serialVersionUID = 1L;

    Unusable(String message) {
      super(message);
    }
  }

  private final Path file;
  private final Duration lockTimeout;

  UserFile(Path file) {
    this(file, LOCK_TIMEOUT);
  }

  /** With a lock timeout other than a minute (for tests). */
  UserFile(Path file, Duration lockTimeout) {
    this.file = file.toAbsolutePath().normalize();
    this.lockTimeout = lockTimeout;
  }

  Path path() {
    return file;
  }

  /**
   * Reads the file and writes what {@code change} makes of its text (empty when the file does not
   * exist), under the lock; nothing is written when the text stays the same or {@code change}
   * throws. Returns whether the file was written.
   *
   * @throws Unusable when the file is a link, not a regular file, too large, not UTF-8, cannot be
   *     read or written, or the lock is not free in time (a minute)
   */
  boolean update(UnaryOperator<String> change) {
    Path dir = ClusterDirectory.parentOf(file);
    try {
      if (!Files.isDirectory(dir)) {
        ClusterDirectory.createPrivateDirectories(dir);
      }
    } catch (KubitectException e) {
      throw new Unusable(ClusterDirectory.oneLine(e.getMessage()));
    }
    ReentrantLock local = IN_THIS_JVM.computeIfAbsent(file, f -> new ReentrantLock());
    try {
      if (!local.tryLock(lockTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new Unusable(file + " is being changed by another apply in this process");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unusable("interrupted while waiting to change " + file);
    }
    try (FileChannel lock = openLock(dir)) {
      FileLock held = acquire(lock);
      try {
        Optional<String> before = read();
        String after = change.apply(before.orElse(""));
        if (before.isPresent() && after.equals(before.get())) {
          return false;
        }
        write(dir, after);
        return true;
      } finally {
        held.release();
      }
    } catch (IOException e) {
      throw new Unusable("cannot change " + file + ": " + ClusterDirectory.describe(e));
    } finally {
      local.unlock();
    }
  }

  private FileChannel openLock(Path dir) throws IOException {
    Path lock = dir.resolve("." + file.getFileName() + ".kubitect-lock");
    if (Files.isSymbolicLink(lock)) {
      throw new Unusable("the lock file " + lock + " is a symbolic link; remove it");
    }
    return FileChannel.open(
        lock,
        java.util.Set.of(
            StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }

  private FileLock acquire(FileChannel lock) throws IOException {
    long deadline = System.nanoTime() + lockTimeout.toNanos();
    while (true) {
      FileLock held = lock.tryLock();
      if (held != null) {
        return held;
      }
      if (System.nanoTime() > deadline) {
        throw new Unusable(
            file + " is being changed by another process (its lock is held); try again later");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unusable("interrupted while waiting to change " + file);
      }
    }
  }

  /** The file's text; empty when it does not exist. */
  private Optional<String> read() throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    }
    if (attributes.isSymbolicLink()) {
      throw new Unusable(
          file + " is a symbolic link; links are not followed, so it was left as it was");
    }
    if (!attributes.isRegularFile()) {
      throw new Unusable(file + " is not a regular file; it was left as it was");
    }
    if (attributes.size() > MAX_BYTES) {
      throw new Unusable(
          file + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB; it was left as it was");
    }
    byte[] bytes;
    try (InputStream in =
        Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new Unusable(file + " grew beyond " + MAX_BYTES + " bytes while it was read");
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      throw new Unusable(file + " is not UTF-8 text; it was left as it was");
    }
  }

  /** A temporary file in the same directory (0600 from the start), then a rename over the file. */
  private void write(Path dir, String text) throws IOException {
    Path temp =
        Files.createTempFile(
            dir,
            "." + file.getFileName() + ".",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
