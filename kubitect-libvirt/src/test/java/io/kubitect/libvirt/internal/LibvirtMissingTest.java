package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kubitect.core.SpecValidator;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.ProvisioningException;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without Debian's libvirt0 the first connect fails with one line that names what is missing and
 * how to install it. Simulated where libvirt-java is loaded ({@link LibvirtSession}), as JNA and
 * the JVM fail: {@link UnsatisfiedLinkError} on the first attempt, {@link NoClassDefFoundError}
 * once a libvirt-java class failed to initialise.
 */
class LibvirtMissingTest {
  @TempDir Path tmp;

  private static final String JNA_MESSAGE =
      """
      Unable to load library 'virt':
      libvirt.so: cannot open shared object file: No such file or directory
      Native library (linux-x86-64/libvirt.so) not found in resource path ([file:/app/])\
      """;

  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final StepListener recorder =
      new StepListener() {
        @Override
        public void started(Step step) {
          events.add("start " + step);
        }

        @Override
        public void finished(Step step, StepOutcome outcome, String detail) {
          events.add("end " + step);
        }

        @Override
        public void failed(Step step, Throwable error) {
          events.add("end " + step + " FAILED " + error.getMessage());
        }
      };

  @Test
  void aMissingNativeLibraryFailsTheApplyInOneLineSayingHowToInstallIt() {
    ProvisioningException e = applyFailingWith(new UnsatisfiedLinkError(JNA_MESSAGE));

    assertThat(e.getMessage())
        .doesNotContain("\n")
        .doesNotContain("failed unexpectedly")
        .startsWith("libvirt's native library libvirt.so.0 cannot be loaded")
        .contains("UnsatisfiedLinkError: Unable to load library 'virt')")
        .contains("apt-get install libvirt0");
    assertThat(e).hasRootCauseInstanceOf(UnsatisfiedLinkError.class);
    assertThat(events)
        .contains("end provision [h1]: connect FAILED " + e.getMessage())
        .anyMatch(ev -> ev.startsWith("end provision: simulated hosts") && ev.contains("FAILED"));
    long starts = events.stream().filter(ev -> ev.startsWith("start ")).count();
    assertThat(events.stream().filter(ev -> ev.startsWith("end ")).count()).isEqualTo(starts);
  }

  @Test
  void aLibvirtJavaClassThatFailedToInitialiseEarlierSaysTheSame() {
    ProvisioningException e =
        applyFailingWith(
            new NoClassDefFoundError("Could not initialize class org.libvirt.Connect"));

    assertThat(e.getMessage())
        .doesNotContain("\n")
        .contains("NoClassDefFoundError: Could not initialize class org.libvirt.Connect")
        .contains("apt-get install libvirt0");
  }

  @Test
  void destroyFailsTheSameWay() {
    Topology topology = topology();
    try (Engine engine = engine(new UnsatisfiedLinkError(JNA_MESSAGE))) {
      ProvisioningException e =
          catchThrowableOfType(
              ProvisioningException.class, () -> engine.destroy(topology, StepListener.NONE));
      assertThat(e.getMessage()).doesNotContain("\n").contains("apt-get install libvirt0");
    }
  }

  private ProvisioningException applyFailingWith(LinkageError error) {
    Topology topology = topology();
    try (Engine engine = engine(error)) {
      return catchThrowableOfType(
          ProvisioningException.class,
          () -> engine.apply(topology, Fixtures.fixedCredentials(topology), recorder));
    }
  }

  /** Simulated hosts whose libvirt-java fails to load with {@code error}. */
  private Engine engine(LinkageError error) {
    Settings settings =
        new Settings(
            Map.of(),
            true,
            Optional.empty(),
            tmp.resolve("known_hosts"),
            4,
            8,
            Optional.empty(),
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Optional.empty(),
            tmp.resolve("cache"),
            Duration.ZERO,
            tmp);
    return new Engine(
        settings,
        UnaryOperator.identity(),
        (uri, display) ->
            LibvirtSession.open(
                uri,
                display,
                () -> {
                  throw error;
                }));
  }

  private static Topology topology() {
    String yaml =
        """
        hosts:
          - {name: h1, connection: {type: local}}
          - {name: h2, connection: {type: remote, user: k, ip: 10.0.0.2, ssh: {keyfile: "~/.ssh/k"}}}
        cluster:
          name: nolib
          network: {mode: bridge, cidr: 10.46.0.0/24, bridge: br0}
          nodes:
            master:
              instances:
                - {id: 1, host: h1, ip: 10.46.0.10}
            worker:
              instances:
                - {id: 1, host: h2}
                - {id: 2, host: h2}
        kubernetes:
          version: v1.33.4
        """;
    ClusterSpec spec = KubitectYaml.read(yaml, "nolib.yaml");
    assertThat(SpecValidator.validate(spec).errors()).isEmpty();
    return Topology.of(spec);
  }
}
