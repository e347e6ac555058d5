package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's file changed safely: bounded reads, no links followed, atomic 0600 writes, a lock. */
class UserFileTest {
  @TempDir Path home;

  private Path file() {
    return home.resolve(".kube").resolve("config");
  }

  @Test
  void aMissingFileAndDirectoryAreCreatedOwnerOnly() throws Exception {
    assertThat(new UserFile(file()).update(text -> text + "a: 1\n")).isTrue();

    assertThat(file()).hasContent("a: 1");
    assertThat(Files.getPosixFilePermissions(file()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(file().getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    // Nothing but the file and the lock stays beside it.
    try (var files = Files.list(file().getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("config", ".config.kubitect-lock");
    }
  }

  @Test
  void anEmptyFileIsEmptyTextAndAWrittenFileBecomes0600() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "");
    Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));
    List<String> seen = new ArrayList<>();

    new UserFile(file())
        .update(
            text -> {
              seen.add(text);
              return "x\n";
            });

    assertThat(seen).containsExactly("");
    assertThat(Files.getPosixFilePermissions(file()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void anUnchangedTextIsNotWritten() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "same\n");
    Files.setLastModifiedTime(file(), FileTime.fromMillis(1_000_000));

    assertThat(new UserFile(file()).update(text -> text)).isFalse();

    assertThat(Files.getLastModifiedTime(file())).isEqualTo(FileTime.fromMillis(1_000_000));
  }

  @Test
  void aSymbolicLinkIsNeitherFollowedNorReplaced() throws Exception {
    Path target = Files.writeString(home.resolve("elsewhere"), "theirs\n");
    Files.createDirectories(file().getParent());
    Files.createSymbolicLink(file(), target);

    assertThatThrownBy(() -> new UserFile(file()).update(text -> "mine\n"))
        .isInstanceOf(UserFile.Unusable.class)
        .hasMessageContaining("is a symbolic link");

    assertThat(Files.isSymbolicLink(file())).isTrue();
    assertThat(target).hasContent("theirs");
  }

  @Test
  void aDanglingLinkADirectoryAndALinkedLockFileAreRefused() throws Exception {
    Files.createDirectories(file().getParent());
    Files.createSymbolicLink(file(), home.resolve("nowhere"));
    assertThatThrownBy(() -> new UserFile(file()).update(text -> "x"))
        .isInstanceOf(UserFile.Unusable.class);
    assertThat(home.resolve("nowhere")).doesNotExist();

    Path directory = Files.createDirectories(home.resolve(".ssh/known_hosts"));
    assertThatThrownBy(() -> new UserFile(directory).update(text -> "x"))
        .isInstanceOf(UserFile.Unusable.class)
        .hasMessageContaining("not a regular file");

    Path other = home.resolve("other/file");
    Files.createDirectories(other.getParent());
    Files.createSymbolicLink(other.resolveSibling(".file.kubitect-lock"), home.resolve("victim"));
    assertThatThrownBy(() -> new UserFile(other).update(text -> "x"))
        .isInstanceOf(UserFile.Unusable.class)
        .hasMessageContaining("lock file");
    assertThat(home.resolve("victim")).doesNotExist();
  }

  @Test
  void aHugeOrBinaryFileIsLeftAsItWas() throws Exception {
    Files.createDirectories(file().getParent());
    try (RandomAccessFile sparse = new RandomAccessFile(file().toFile(), "rw")) {
      sparse.setLength(UserFile.MAX_BYTES + 1);
    }
    assertThatThrownBy(() -> new UserFile(file()).update(text -> "x"))
        .isInstanceOf(UserFile.Unusable.class)
        .hasMessageContaining("larger than 16 MiB");
    assertThat(Files.size(file())).isEqualTo(UserFile.MAX_BYTES + 1);

    Files.write(file(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    assertThatThrownBy(() -> new UserFile(file()).update(text -> "x"))
        .isInstanceOf(UserFile.Unusable.class)
        .hasMessageContaining("not UTF-8");
    assertThat(Files.readAllBytes(file())).containsExactly(0xff, 0xfe, 0, 1);
  }

  @Test
  void aChangeThatThrowsWritesNothing() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "keep\n");

    assertThatThrownBy(
            () ->
                new UserFile(file())
                    .update(
                        text -> {
                          throw new UserFile.Unusable("no");
                        }))
        .hasMessage("no");

    assertThat(file()).hasContent("keep");
  }

  @Test
  void concurrentUpdatesAreNeverLost() throws Exception {
    int writers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> done = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String line = "line " + i + "\n";
        done.add(pool.submit(() -> new UserFile(file()).update(text -> text + line)));
      }
      for (Future<Boolean> f : done) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Files.readAllLines(file())).hasSize(writers).doesNotHaveDuplicates();
  }

  /** Another process holding the lock (python's fcntl lock, the kind Java takes) is waited for. */
  @Test
  void anotherProcessHoldingTheLockIsWaitedForThenGivenUpOn() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(
        Files.isExecutable(python) || System.getenv("CI") != null,
        "python3 holds the lock from another process (apt-get install python3)");
    Files.createDirectories(file().getParent());
    Path lock = file().resolveSibling(".config.kubitect-lock");
    Path held = home.resolve("held");
    Path released = home.resolve("released");
    Process holder =
        new ProcessBuilder(
                python.toString(),
                "-c",
                """
                import fcntl, sys, time
                f = open(sys.argv[1], 'a')
                fcntl.lockf(f, fcntl.LOCK_EX)
                open(sys.argv[2], 'w').close()
                time.sleep(float(sys.argv[3]))
                open(sys.argv[4], 'w').close()
                """,
                lock.toString(),
                held.toString(),
                "1.5",
                released.toString())
            .inheritIO()
            .start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!Files.exists(held) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(held).exists();
      assertThatThrownBy(
              () -> new UserFile(file(), Duration.ofMillis(200)).update(text -> "early\n"))
          .isInstanceOf(UserFile.Unusable.class)
          .hasMessageContaining("its lock is held");
      assertThat(file()).doesNotExist();

      assertThat(new UserFile(file(), Duration.ofSeconds(30)).update(text -> "late\n")).isTrue();
      // The holder marks the release just before it exits, which releases the lock.
      assertThat(released).exists();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(file()).hasContent("late");
    } finally {
      holder.destroyForcibly();
    }
  }
}
