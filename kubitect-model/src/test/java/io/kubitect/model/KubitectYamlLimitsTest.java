package io.kubitect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile input: what {@link KubitectYaml} refuses before it spends time or memory on it. */
class KubitectYamlLimitsTest {
  private static final int MIB = 1024 * 1024;
  // Generous: refusing takes milliseconds, reading such input used to take minutes.
  private static final Duration QUICKLY = Duration.ofSeconds(5);

  @Test
  void limitsAreTheDocumentedOnes() {
    assertThat(KubitectYaml.MAX_CONFIG_BYTES).isEqualTo(MIB);
    assertThat(KubitectYaml.MAX_SCALAR_CHARS).isEqualTo(64 * 1024);
    assertThat(KubitectYaml.MAX_NESTING_DEPTH).isEqualTo(64);
  }

  // ------------------------------------------------------------------------------------- files

  @Test
  void largeFileIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("huge.yaml");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(50L * MIB);
    }

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(file));

    assertThat(e.getMessage())
        .isEqualTo(
            file + ": the configuration is 52428800 bytes; at most 1048576 (1 MiB) are read");
  }

  @Test
  void fileOfExactlyTheLimitIsRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("padded.yaml");
    Files.write(file, padded("cluster:\n  name: padded\n", KubitectYaml.MAX_CONFIG_BYTES));

    assertThat(KubitectYaml.read(file).cluster().name()).contains("padded");
  }

  @Test
  void fileOneByteOverTheLimitIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("padded.yaml");
    Files.write(file, padded("cluster:\n  name: padded\n", KubitectYaml.MAX_CONFIG_BYTES + 1));

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(file));

    assertThat(e.problem())
        .isEqualTo("the configuration is 1048577 bytes; at most 1048576 (1 MiB) are read");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/dev/zero", "/dev/urandom", "/dev/null"})
  void deviceIsRefusedWithoutReading(String device) {
    Path file = Path.of(device);
    assumeTrue(Files.exists(file), device + " exists");

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(file));

    assertThat(e.getMessage())
        .isEqualTo(device + ": cannot be read: not a regular file (a character device)");
  }

  @Test
  void fifoIsRefusedWithoutWaitingForAWriter(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("kubitect.yaml");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo works");

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(fifo));

    assertThat(e.getMessage()).isEqualTo(fifo + ": cannot be read: not a regular file (a FIFO)");
  }

  @Test
  void directoryIsRefusedAsNotARegularFile(@TempDir Path dir) {
    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(dir));

    assertThat(e.getMessage())
        .isEqualTo(dir + ": cannot be read: not a regular file (a directory)");
  }

  @Test
  void symbolicLinkToAConfigurationIsFollowed(@TempDir Path dir) throws IOException {
    Path target = Files.writeString(dir.resolve("real.yaml"), "cluster:\n  name: linked\n");
    Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), target);

    assertThat(KubitectYaml.read(link).cluster().name()).contains("linked");
  }

  @Test
  void randomBytesAreRefusedAsNotUtf8(@TempDir Path dir) throws IOException {
    byte[] noise = new byte[64 * 1024];
    new Random(42).nextBytes(noise);
    Path file = Files.write(dir.resolve("noise.yaml"), noise);

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(file));

    assertThat(e.problem()).startsWith("not UTF-8 text: byte 0x");
    assertThat(e.line()).isPositive();
    assertThat(e.column()).isPositive();
  }

  @Test
  void invalidUtf8IsRefusedWithItsLocation(@TempDir Path dir) throws IOException {
    byte[] latin1 = "cluster:\n  name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Path file = Files.write(dir.resolve("latin1.yaml"), latin1);

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(file));

    assertThat(e.getMessage())
        .isEqualTo(
            file + ":2:12: not UTF-8 text: byte 0xe9 is not valid here; save the file as UTF-8");
  }

  // ------------------------------------------------------------------------------------- texts

  @Test
  void largeTextIsRefusedBeforeItIsParsed() {
    String huge = "cluster:\n  name: " + "a".repeat(50 * MIB) + "\n";

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(huge, "huge.yaml"));

    assertThat(e.getMessage())
        .isEqualTo(
            "huge.yaml: the configuration is 52428818 characters long; at most 1048576 bytes (1"
                + " MiB) are read");
  }

  @Test
  void textSizeIsCountedInUtf8Bytes() {
    // 600,000 characters, 1,200,000 bytes.
    String accents = "cluster:\n  name: " + "\u00e9".repeat(600_000) + "\n";

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(accents, "accents.yaml"));

    assertThat(e.problem())
        .isEqualTo("the configuration is 1200018 bytes; at most 1048576 (1 MiB) are read");
  }

  @Test
  void longLineIsRefusedBeforeItIsParsed() {
    String yaml = "cluster:\n  name: " + "a".repeat(MIB - 100) + "\n";

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(yaml, "long.yaml"));

    assertThat(e.getMessage())
        .isEqualTo(
            "long.yaml:2:65537: line 2 is longer than 65536 characters; a line, key or value has"
                + " at most 65536");
  }

  @Test
  void longValueOverSeveralLinesIsRefusedWithItsPath() {
    String lines = "      " + "x".repeat(99) + "\n";
    String yaml = "addons:\n  kubespray:\n    script: |\n" + lines.repeat(700);

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(yaml, "block.yaml"));

    assertThat(e.getMessage())
        .isEqualTo(
            "block.yaml:3:13: addons.kubespray.script: the value is 70000 characters long; at most"
                + " 65536");
  }

  @Test
  void longKeyIsRefusedWithItsPath() {
    String lines = "      " + "x".repeat(99) + "\n";
    String yaml = "addons:\n  kubespray:\n    ? |\n" + lines.repeat(700) + "    : value\n";

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(yaml, "key.yaml"));

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.path()).isEqualTo("addons.kubespray");
    assertThat(e.problem()).isEqualTo("a key is 70000 characters long; at most 65536");
  }

  @Test
  void valueAtTheScalarLimitIsRead() {
    String lines = "      " + "x".repeat(1023) + "\n";
    String yaml = "addons:\n  kubespray:\n    script: |-\n" + lines.repeat(64);

    ClusterSpec spec = KubitectYaml.read(yaml, "block.yaml");

    assertThat(String.valueOf(spec.addons().kubespray().get("script")))
        .hasSize(KubitectYaml.MAX_SCALAR_CHARS - 1);
  }

  @Test
  void longNumberIsRefusedWithItsPath() {
    String yaml = "addons:\n  kubespray:\n    big: " + "9".repeat(1001) + "\n";

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(yaml, "number.yaml"));

    assertThat(e.getMessage())
        .isEqualTo(
            "number.yaml:3:10: addons.kubespray.big: the number has 1001 characters; a number has"
                + " at most 1000");
  }

  @Test
  void deepNestingIsRefusedWithItsLocation() {
    String yaml = "addons:\n  kubespray:\n    deep: " + "[".repeat(100) + "]".repeat(100) + "\n";

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(yaml, "deep.yaml"));

    assertThat(e.getMessage())
        .isEqualTo(
            "deep.yaml:3:72: mappings and lists nest more than 64 levels deep; at most 64 are"
                + " allowed");
  }

  @Test
  void nestingUpToTheLimitIsRead() {
    // addons and kubespray are two levels, the top-level mapping a third.
    int depth = KubitectYaml.MAX_NESTING_DEPTH - 3;
    String yaml =
        "addons:\n  kubespray:\n    deep: " + "[".repeat(depth) + "]".repeat(depth) + "\n";

    assertThat(KubitectYaml.read(yaml, "deep.yaml").addons().kubespray()).containsKey("deep");
  }

  @Test
  void billionLaughsIsRefusedAtTheFirstAlias() {
    StringBuilder yaml = new StringBuilder("addons:\n  kubespray:\n    a0: &a0 [lol, lol]\n");
    for (int i = 1; i < 30; i++) {
      yaml.append("    a").append(i).append(": &a").append(i).append(" [");
      yaml.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
    }

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(yaml.toString(), "lol.yaml"));

    assertThat(e.getMessage())
        .isEqualTo(
            "lol.yaml:4:14: addons.kubespray.a1[0]: YAML aliases (*name) are not supported; write"
                + " the value out");
  }

  @Test
  void controlCharacterIsRefusedWithItsLocation() {
    SpecFormatException e =
        refusedQuickly(() -> KubitectYaml.read("cluster:\n  name: a\u0001b\n", "ctl.yaml"));

    assertThat(e.getMessage())
        .isEqualTo("ctl.yaml:2:10: character U+0001 is not allowed in YAML; remove it");
  }

  @Test
  void unpairedSurrogateIsRefusedWithItsLocation() {
    SpecFormatException e =
        refusedQuickly(() -> KubitectYaml.read("cluster:\n  name: a\ud800\n", "sur.yaml"));

    assertThat(e.getMessage())
        .isEqualTo("sur.yaml:2:10: character U+D800 is not allowed in YAML; remove it");
  }

  @Test
  void messagesStayOnOneLineAndShort() {
    String yaml = "cluster:\n  nodes:\n    master:\n      default:\n        cpu: \"two\\nthree\"\n";

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(yaml, "nl.yaml"));

    assertThat(e.getMessage())
        .isEqualTo(
            "nl.yaml:5:14: cluster.nodes.master.default.cpu: 'two\\nthree' is not a whole number");
  }

  @Test
  void longValuesAreShortenedInMessages() {
    String yaml =
        "cluster:\n  nodes:\n    master:\n      default:\n        cpu: " + "9x".repeat(5000);

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(yaml, "long.yaml"));

    assertThat(e.problem()).startsWith("'9x9x").endsWith("...' is not a whole number");
    assertThat(e.getMessage()).hasSizeLessThan(200);
  }

  @Test
  void keysWithLineBreaksStayOnOneLine() {
    String yaml = "cluster:\n  \"na\\nme\": demo\n";

    SpecFormatException e = refusedQuickly(() -> KubitectYaml.read(yaml, "key.yaml"));

    assertThat(e.getMessage()).doesNotContain("\n").contains("unknown key 'na\\nme'");
  }

  // ----------------------------------------------------------------------------------- helpers

  private static SpecFormatException refusedQuickly(Runnable read) {
    SpecFormatException e =
        assertTimeoutPreemptively(
            QUICKLY, () -> assertThrows(SpecFormatException.class, read::run));
    assertThat(e.getMessage()).doesNotContain("\n", "\r");
    return e;
  }

  /** {@code yaml} followed by comment lines, {@code size} bytes in all. */
  private static byte[] padded(String yaml, int size) {
    StringBuilder text = new StringBuilder(yaml);
    while (text.length() < size) {
      int line = Math.min(100, size - text.length());
      text.append(line == 1 ? "\n" : "#" + "x".repeat(line - 2) + "\n");
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(bytes).hasSize(size);
    return bytes;
  }
}
