package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line and environment of a playbook run. */
class PlaybookRunnerTest {
  static final PlaybookRunner.Invocation SCALE =
      new PlaybookRunner.Invocation(
          "ansible-playbook",
          Path.of("/cache/kubespray/v2.29.0"),
          "scale.yml",
          Path.of("/work/ansible/inventory/hosts.yaml"),
          List.of("c-worker-4", "c-worker-5"),
          Map.of("kube_version", "1.33.4"),
          "k8s",
          Path.of("/work/keys/id_ed25519"),
          Path.of("/work/my cluster/known_hosts"),
          7,
          Path.of("/work/ansible"),
          Duration.ZERO);

  @Test
  void becomesRootAsTheNodeUserWithTheClusterKeyLimitedToTheNewNodes() {
    assertThat(PlaybookRunner.command(SCALE, Path.of("/work/ansible/logs/001.extra-vars.yml")))
        .containsExactly(
            "ansible-playbook",
            "scale.yml",
            "--inventory",
            "/work/ansible/inventory/hosts.yaml",
            "--become",
            "--user",
            "k8s",
            "--private-key",
            "/work/keys/id_ed25519",
            "--forks",
            "7",
            "--limit",
            "c-worker-4:c-worker-5",
            "--extra-vars",
            "@/work/ansible/logs/001.extra-vars.yml");
  }

  @Test
  void verifiesHostKeysAgainstTheClusterKnownHostsOnly() {
    Map<String, String> env = PlaybookRunner.environment(SCALE, Path.of("/tmp/kcp1"));

    assertThat(env).containsEntry("ANSIBLE_HOST_KEY_CHECKING", "True");
    assertThat(env.get("ANSIBLE_SSH_ARGS"))
        .contains("-o StrictHostKeyChecking=yes")
        .contains("-o UserKnownHostsFile='/work/my cluster/known_hosts'")
        .contains("-o GlobalKnownHostsFile=/dev/null")
        .doesNotContain("/dev/null -o StrictHostKeyChecking=no");
  }

  @Test
  void pipelinesAndCachesFactsPerCluster() {
    Map<String, String> env = PlaybookRunner.environment(SCALE, Path.of("/tmp/kcp1"));

    assertThat(env)
        .containsEntry("ANSIBLE_PIPELINING", "True")
        .containsEntry("ANSIBLE_CACHE_PLUGIN", "jsonfile")
        .containsEntry("ANSIBLE_CACHE_PLUGIN_CONNECTION", "/work/ansible/facts")
        .containsEntry("ANSIBLE_SSH_CONTROL_PATH_DIR", "/tmp/kcp1")
        .containsEntry("ANSIBLE_STDOUT_CALLBACK", "default")
        .containsEntry("ANSIBLE_NOCOLOR", "True");
  }

  @Test
  void quotesWordsForAnsiblesSplitting() {
    assertThat(PlaybookRunner.shellQuote("/a/b_c-1.txt")).isEqualTo("/a/b_c-1.txt");
    assertThat(PlaybookRunner.shellQuote("/a b/it's")).isEqualTo("'/a b/it'\"'\"'s'");
  }
}
