package io.kubitect.testing;

import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.SpecFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Where the extension's specification comes from: a file under a base directory (never outside it,
 * symbolic links included), a class-path resource, or a supplier. Every problem is an {@link
 * ExtensionConfigurationException} whose message names the source.
 */
abstract class SpecSource {
  static final String CLASSPATH = "classpath:";

  /** How the source is named in messages. */
  abstract String describe();

  /** The specification, read or built. */
  abstract ClusterSpec load(ClassLoader loader);

  /** {@code classpath:NAME}, or a file path confined to {@code base}. */
  static SpecSource of(String location, Path base) {
    Objects.requireNonNull(location, "spec location");
    Objects.requireNonNull(base, "spec base directory");
    if (location.startsWith(CLASSPATH)) {
      return new Resource(location.substring(CLASSPATH.length()));
    }
    return new File(location, base);
  }

  /** A supplier; {@code name} says which in messages. */
  static SpecSource of(Supplier<ClusterSpec> supplier, String name) {
    return new FromSupplier(supplier, name);
  }

  /** The text of a path or name for a message: quoted, control characters escaped. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("'");
    text.codePoints()
        .limit(200)
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    if (text.codePointCount(0, text.length()) > 200) {
      out.append("...");
    }
    return out.append('\'').toString();
  }

  private static final class File extends SpecSource {
    private final String given;
    private final Path base;

    File(String given, Path base) {
      this.given = given;
      this.base = base;
    }

    @Override
    String describe() {
      return "spec file " + quote(given);
    }

    @Override
    ClusterSpec load(ClassLoader loader) {
      if (given.isBlank()) {
        throw new ExtensionConfigurationException("the spec path is empty");
      }
      Path root = base.toAbsolutePath().normalize();
      Path file;
      try {
        file = root.resolve(given).normalize();
      } catch (InvalidPathException e) {
        throw new ExtensionConfigurationException(
            describe() + " is not a path: " + e.getReason(), e);
      }
      if (!file.startsWith(root)) {
        throw new ExtensionConfigurationException(
            describe()
                + " leads outside the spec directory "
                + root
                + " (to "
                + file
                + "); keep specifications under it, use a classpath: resource, or set another"
                + " specBaseDirectory");
      }
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new ExtensionConfigurationException(
            describe() + " does not exist (looked for " + file + ")");
      }
      Path real;
      Path realRoot;
      try {
        real = file.toRealPath();
        realRoot = root.toRealPath();
      } catch (IOException e) {
        throw new ExtensionConfigurationException(
            describe() + " cannot be resolved (" + file + "): " + e, e);
      }
      if (!real.startsWith(realRoot)) {
        throw new ExtensionConfigurationException(
            describe()
                + " leads outside the spec directory "
                + realRoot
                + " through a symbolic link (to "
                + real
                + ")");
      }
      try {
        return KubitectYaml.read(real);
      } catch (SpecFormatException e) {
        throw new ExtensionConfigurationException(
            describe() + " is not a valid specification: " + e.getMessage(), e);
      }
    }
  }

  private static final class Resource extends SpecSource {
    private final String name;

    Resource(String name) {
      this.name = name;
    }

    @Override
    String describe() {
      return "spec resource " + quote(CLASSPATH + name);
    }

    @Override
    ClusterSpec load(ClassLoader loader) {
      if (name.isEmpty()
          || name.startsWith("/")
          || name.endsWith("/")
          || name.contains("\\")
          || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new ExtensionConfigurationException(
            describe()
                + " is not a resource name: write it relative to the class path root, as in"
                + " classpath:specs/my-cluster.yaml");
      }
      for (String segment : name.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          throw new ExtensionConfigurationException(
              describe() + " has an empty, '.' or '..' segment; name the resource directly");
        }
      }
      byte[] bytes;
      try (InputStream in = loader.getResourceAsStream(name)) {
        if (in == null) {
          throw new ExtensionConfigurationException(
              describe() + " is not on the class path of the test");
        }
        bytes = in.readNBytes(KubitectYaml.MAX_CONFIG_BYTES + 1);
      } catch (IOException e) {
        throw new ExtensionConfigurationException(describe() + " cannot be read: " + e, e);
      }
      if (bytes.length > KubitectYaml.MAX_CONFIG_BYTES) {
        throw new ExtensionConfigurationException(
            describe() + " is larger than " + KubitectYaml.MAX_CONFIG_BYTES + " bytes (1 MiB)");
      }
      try {
        return KubitectYaml.read(new String(bytes, StandardCharsets.UTF_8), CLASSPATH + name);
      } catch (SpecFormatException e) {
        throw new ExtensionConfigurationException(
            describe() + " is not a valid specification: " + e.getMessage(), e);
      }
    }
  }

  private static final class FromSupplier extends SpecSource {
    private final Supplier<ClusterSpec> supplier;
    private final String name;

    FromSupplier(Supplier<ClusterSpec> supplier, String name) {
      this.supplier = Objects.requireNonNull(supplier, "spec supplier");
      this.name = name;
    }

    @Override
    String describe() {
      return "spec supplier " + name;
    }

    @Override
    ClusterSpec load(ClassLoader loader) {
      @Nullable ClusterSpec spec;
      try {
        spec = supplier.get();
      } catch (RuntimeException e) {
        throw new ExtensionConfigurationException(describe() + " failed: " + e, e);
      }
      if (spec == null) {
        throw new ExtensionConfigurationException(describe() + " returned null");
      }
      return spec;
    }
  }
}
