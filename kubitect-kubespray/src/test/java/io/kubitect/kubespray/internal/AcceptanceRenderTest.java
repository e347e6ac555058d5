package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.model.SpecFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's renderer writes what an install writes, and refuses bad arguments in one line. */
class AcceptanceRenderTest {
  @TempDir Path dir;

  @Test
  void writesTheInstallersInventoryExtraVariablesAndFacts() throws IOException {
    Path ha = TestSpecs.repositoryRoot().resolve("examples/ha.yaml");
    Path out = dir.resolve("out");

    assertThat(AcceptanceRender.render(List.of(ha.toString(), out.toString()))).contains("8 hosts");

    Path golden = InventoryTest.GOLDEN.resolve("ha");
    for (String file : List.of("hosts.yaml", "group_vars/k8s_cluster/k8s-cluster.yml")) {
      assertThat(out.resolve("inventory").resolve(file))
          .hasSameTextualContentAs(golden.resolve(file));
    }
    assertThat(out.resolve("extra-vars.yml")).hasContent("---\nkube_version: \"v1.23.7\"");
    assertThat(Files.readAllLines(out.resolve("facts.env")))
        .contains(
            "SPEC_RELEASE=v2.19.0",
            "DEFAULT_RELEASE=v2.29.0",
            "DEFAULT_RELEASE_KUBERNETES=v1.33.4",
            "KUBE_VERSION=v1.23.7",
            "NODE_USER=k8s",
            "INVENTORY_HOSTS=kubitect-ha-lb-1,kubitect-ha-lb-2,kubitect-ha-master-1,"
                + "kubitect-ha-master-2,kubitect-ha-master-3,kubitect-ha-worker-1,"
                + "kubitect-ha-worker-2,kubitect-ha-worker-3",
            "KUBERNETES_NODES=kubitect-ha-master-1,kubitect-ha-master-2,kubitect-ha-master-3,"
                + "kubitect-ha-worker-1,kubitect-ha-worker-2,kubitect-ha-worker-3");
  }

  @Test
  void refusesWrongArgumentCountsAndBlanks() {
    for (List<String> args : List.of(List.<String>of(), List.of("a"), List.of("a", "b", "c"))) {
      assertThatThrownBy(() -> AcceptanceRender.render(args))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("usage: AcceptanceRender SPEC_FILE OUT_DIR");
    }
    assertThatThrownBy(() -> AcceptanceRender.render(List.of(" ", dir.toString())))
        .hasMessageStartingWith("usage:");
  }

  @Test
  void refusesAMissingSpecADirectoryAndAnOutputThatIsAFile() throws IOException {
    Path out = dir.resolve("out");
    assertThatThrownBy(
            () ->
                AcceptanceRender.render(
                    List.of(dir.resolve("../../nope.yaml").toString(), out.toString())))
        .isInstanceOf(SpecFormatException.class);
    assertThatThrownBy(() -> AcceptanceRender.render(List.of(dir.toString(), out.toString())))
        .isInstanceOf(SpecFormatException.class);
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path ha = TestSpecs.repositoryRoot().resolve("examples/ha.yaml");
    assertThatThrownBy(() -> AcceptanceRender.render(List.of(ha.toString(), file.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("output " + file + " exists and is not a directory");
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void refusesASpecThatIsNotYaml() throws IOException {
    Path junk = Files.write(dir.resolve("junk.yaml"), new byte[] {(byte) 0xff, 0, 1, 2});
    assertThatThrownBy(
            () -> AcceptanceRender.render(List.of(junk.toString(), dir.resolve("o").toString())))
        .isInstanceOf(SpecFormatException.class);
  }
}
