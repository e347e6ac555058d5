package io.kubitect.core.picture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kubitect.core.spi.Topology;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

/**
 * A real SVG renderer, {@code rsvg-convert} (Debian package {@code librsvg2-bin}), turns the
 * pictures into PNGs of the picture's size with real content. Outside CI the test is skipped with a
 * reason when {@code rsvg-convert} is missing; in CI (environment variable {@code CI} set) it fails
 * instead. The PNGs stay in {@code kubitect-core/target/topology-picture/} for a person to look at.
 */
class TopologyPictureRenderTest {
  static final String RENDERER = "rsvg-convert";
  static final Path OUT = Path.of("target", "topology-picture");

  static Path renderer;

  @BeforeAll
  static void findRenderer() {
    Optional<Path> found = onPath(RENDERER);
    if (found.isEmpty()) {
      String reason = RENDERER + " is not installed (Debian: apt-get install -y librsvg2-bin)";
      String ci = System.getenv("CI");
      if (ci != null && !ci.isEmpty()) {
        fail(reason + ", and CI needs it");
      }
      Assumptions.abort(reason);
    }
    renderer = found.get();
  }

  static Optional<Path> onPath(String program) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static Stream<Arguments> pictures() {
    return Stream.of(
        Arguments.of("ha", TopologyPicture.svg(PictureSpecs.example("ha.yaml"))),
        Arguments.of("single-node", TopologyPicture.svg(PictureSpecs.example("single-node.yaml"))),
        Arguments.of("twenty-hosts", TopologyPicture.svg(PictureSpecs.twentyHosts())),
        Arguments.of("warnings", TopologyPicture.svg(PictureSpecs.warned())),
        Arguments.of(
            "hostile",
            TopologyPicture.svg(
                Topology.of(
                    TopologyPictureHostileInputTest.everywhere(
                        TopologyPictureHostileInputTest.MARKUP + "W".repeat(300))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pictures")
  void rendersToAPngOfThePicturesSize(String name, String svg) throws Exception {
    Document doc = PictureChecks.parse(svg);
    int width = PictureChecks.intAttr(doc.getDocumentElement(), "width");
    int height = PictureChecks.intAttr(doc.getDocumentElement(), "height");
    Files.createDirectories(OUT);
    Path in = OUT.resolve(name + ".svg");
    Path png = OUT.resolve(name + ".png");
    Files.writeString(in, svg, StandardCharsets.UTF_8);
    Files.deleteIfExists(png);

    String log =
        run(renderer.toString(), "--format", "png", "--output", png.toString(), in.toString());

    assertThat(png).as("%s wrote no PNG: %s", RENDERER, log).exists();
    assertThat(Files.size(png)).as("PNG bytes").isGreaterThan(10_000);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a readable PNG").isNotNull();
    assertThat(image.getWidth()).isEqualTo(width);
    assertThat(image.getHeight()).isEqualTo(height);
    assertThat(colours(image)).as("distinct colours drawn").isGreaterThan(50);
    assertThat(inkRatio(image)).as("share of non-white pixels").isBetween(0.05, 0.9);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output;
    try (var stream = process.getInputStream()) {
      output = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in 120 s");
    }
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    return output;
  }

  private static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        seen.add(image.getRGB(x, y) & 0xFFFFFF);
      }
    }
    return seen.size();
  }

  private static double inkRatio(BufferedImage image) {
    long ink = 0;
    long all = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        all++;
        if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
          ink++;
        }
      }
    }
    return (double) ink / all;
  }
}
