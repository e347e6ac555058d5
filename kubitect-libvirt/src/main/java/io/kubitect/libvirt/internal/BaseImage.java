package io.kubitect.libvirt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS image a host's base volume is made from: a local file, or an http(s) URL downloaded once
 * into a cache directory (shared by all hosts, kept for later applies). Probing reads the header:
 * qcow2 (magic {@code QFI\xfb}, virtual size at offset 24) or raw (virtual size = file size).
 */
final class BaseImage implements Hypervisor.Source {
  private static final Logger LOG = LoggerFactory.getLogger(BaseImage.class);
  private static final Map<String, Object> DOWNLOAD_LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final String format;
  private final long virtualSize;
  private final long length;

  private BaseImage(Path file, String format, long virtualSize, long length) {
    this.file = file;
    this.format = format;
    this.virtualSize = virtualSize;
    this.length = length;
  }

  Path file() {
    return file;
  }

  /** {@code qcow2} or {@code raw}. */
  String format() {
    return format;
  }

  /** The disk size the image presents to a guest. */
  long virtualSize() {
    return virtualSize;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public InputStream open() throws IOException {
    return Files.newInputStream(file);
  }

  static boolean isUrl(String source) {
    String lower = source.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /** The image of {@code source}, downloading a URL into {@code cache} unless already there. */
  static BaseImage resolve(String source, Path cache) {
    Path file = isUrl(source) ? download(source, cache) : Path.of(source);
    if (!Files.isRegularFile(file)) {
      throw new HypervisorException("OS image " + source + " is not a readable file");
    }
    return probe(file);
  }

  /** The image if it is readable without downloading: a local file, or a URL already cached. */
  static java.util.Optional<BaseImage> ifLocal(String source, Path cache) {
    Path file = isUrl(source) ? cache.resolve(cacheKey(source)) : Path.of(source);
    return Files.isRegularFile(file)
        ? java.util.Optional.of(probe(file))
        : java.util.Optional.empty();
  }

  private static String cacheKey(String url) {
    return HexFormat.of().formatHex(MacAddresses.sha256(url)).substring(0, 16)
        + "-"
        + url.substring(url.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static BaseImage probe(Path file) {
    try {
      long length = Files.size(file);
      byte[] header = new byte[32];
      int read;
      try (InputStream in = Files.newInputStream(file)) {
        read = in.readNBytes(header, 0, header.length);
      }
      ByteBuffer buffer = ByteBuffer.wrap(header);
      if (read >= 32 && buffer.getInt(0) == 0x514649fb) {
        return new BaseImage(file, "qcow2", buffer.getLong(24), length);
      }
      return new BaseImage(file, "raw", length, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read OS image " + file, e);
    }
  }

  private static void deletePart(Path part) {
    try {
      Files.deleteIfExists(part);
    } catch (IOException e) {
      LOG.debug("cannot remove {}: {}", part, e.getMessage());
    }
  }

  private static Path download(String url, Path cache) {
    String key = cacheKey(url);
    Path target = cache.resolve(key);
    synchronized (DOWNLOAD_LOCKS.computeIfAbsent(target.toString(), k -> new Object())) {
      if (Files.isRegularFile(target)) {
        return target;
      }
      try {
        Files.createDirectories(cache);
        Path part = cache.resolve(key + ".part");
        LOG.info("downloading OS image {} into {}", url, target);
        HttpClient client =
            HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<Path> response =
            client.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofFile(part));
        if (response.statusCode() != 200) {
          Files.deleteIfExists(part);
          throw new HypervisorException(
              "downloading OS image " + url + " failed: HTTP " + response.statusCode());
        }
        long expected = response.headers().firstValueAsLong("content-length").orElse(-1);
        long actual = Files.size(part);
        if (expected >= 0 && expected != actual) {
          Files.deleteIfExists(part);
          throw new HypervisorException(
              "downloading OS image "
                  + url
                  + " failed: got "
                  + actual
                  + " bytes, expected "
                  + expected);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
      } catch (IOException e) {
        deletePart(cache.resolve(key + ".part"));
        throw new HypervisorException("downloading OS image " + url + " failed: " + e);
      } catch (InterruptedException e) {
        // cancelled: the part downloaded so far is of no use to anyone
        deletePart(cache.resolve(key + ".part"));
        Thread.currentThread().interrupt();
        throw new HypervisorException("interrupted while downloading OS image " + url);
      }
    }
  }
}
