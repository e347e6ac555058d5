package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig rewrite: deterministic names, the VIP as server, certificates untouched. */
class KubeconfigTest {
  static final String KUBESPRAY =
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority-data: Y2x1c3Rlci5sb2NhbA==
          server: https://10.0.0.10:6443
        name: cluster.local
      contexts:
      - context:
          cluster: cluster.local
          user: kubernetes-admin
        name: kubernetes-admin@cluster.local
      current-context: kubernetes-admin@cluster.local
      kind: Config
      preferences: {}
      users:
      - name: kubernetes-admin
        user:
          client-certificate-data: a3ViZXJuZXRlcy1hZG1pbg==
          client-key-data: c2VjcmV0
      """;

  @Test
  void renamesContextUserAndClusterToTheClusterName() {
    String out =
        Kubeconfig.rewrite(
            KUBESPRAY, Kubeconfig.renames("cluster.local", "prod"), "https://10.0.0.200:6443");

    assertThat(out)
        .contains("current-context: prod\n")
        .contains("  name: prod\n")
        .contains("    cluster: prod\n")
        .contains("    user: prod\n")
        .contains("server: https://10.0.0.200:6443")
        .contains("certificate-authority-data: Y2x1c3Rlci5sb2NhbA==")
        .contains("client-key-data: c2VjcmV0")
        .doesNotContain("kubernetes-admin", "cluster.local", "10.0.0.10:");
  }

  @Test
  void appliesTheLongestKeyFirstWhateverTheMapOrder() {
    // Kubitect's rename iterated a Go map: shorter keys first gave "prod@prod" in ~11% of runs.
    Map<String, String> shortFirst = new LinkedHashMap<>();
    shortFirst.put("cluster.local", "prod");
    shortFirst.put("kubernetes-admin", "prod");
    shortFirst.put("kubernetes-admin@cluster.local", "prod");

    assertThat(Kubeconfig.rename("kubernetes-admin@cluster.local", shortFirst)).isEqualTo("prod");
    assertThat(Kubeconfig.rename("kubernetes-admin@cluster.local-2", shortFirst))
        .isEqualTo("prod-2");
    assertThat(Kubeconfig.rename("other", shortFirst)).isEqualTo("other");
    assertThat(Kubeconfig.rewrite(KUBESPRAY, shortFirst, "https://vip:6443"))
        .isEqualTo(
            Kubeconfig.rewrite(
                KUBESPRAY, Kubeconfig.renames("cluster.local", "prod"), "https://vip:6443"));
  }

  @Test
  void writesTheFileWithMode0600(@TempDir Path dir) throws Exception {
    Path file = Kubeconfig.write(dir.resolve("admin.conf"), "a: b\n");
    Kubeconfig.write(file, "a: c\n");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(file).hasContent("a: c");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }
}
