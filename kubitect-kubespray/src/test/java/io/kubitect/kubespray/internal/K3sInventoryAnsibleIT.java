package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubitect.core.NodeRole;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.KubernetesInstaller;
import io.kubitect.core.spi.Topology;
import io.kubitect.kubespray.K3sInstaller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ansible reads the k3s-ansible inventory of every golden case as intended: the groups, {@code
 * server_config_yaml} as the exact text (tagged unsafe: never templated) and the token from its
 * group variables file.
 */
class K3sInventoryAnsibleIT {
  @TempDir Path temp;

  @BeforeAll
  static void needsAnsible() {
    Requirements.requireCommand("ansible-inventory");
  }

  static List<InventoryTest.Case> cases() {
    return InventoryTest.cases().toList();
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(n -> values.add(n.asText()));
    return values;
  }

  /** A value as ansible-inventory lists it: an unsafe text is {"__ansible_unsafe": text}. */
  private static String text(JsonNode value) {
    return value.has("__ansible_unsafe") ? value.path("__ansible_unsafe").asText() : value.asText();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ansibleSeesTheGroupsTheServerConfigurationAndTheToken(InventoryTest.Case c)
      throws IOException, InterruptedException {
    K3sInventory inventory = K3sInventoryTest.render(c);
    Path dir = temp.resolve(c.name());
    String token = "0123456789abcdef".repeat(4);
    inventory.write(dir, token);
    Process p =
        new ProcessBuilder(
                "ansible-inventory",
                "-i",
                dir.resolve(K3sInventory.HOSTS_FILE).toString(),
                "--list")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
    JsonNode json = new ObjectMapper().readTree(out);

    assertThat(texts(json.path("k3s_cluster").path("children")))
        .containsExactlyInAnyOrder("server", "agent");
    assertThat(texts(json.path("server").path("hosts")))
        .containsExactlyElementsOf(inventory.masters());
    assertThat(texts(json.path("agent").path("hosts")))
        .containsExactlyElementsOf(inventory.hosts().names(NodeRole.WORKER));
    JsonNode hostvars = json.path("_meta").path("hostvars");
    for (Inventory.Host h : inventory.hosts().hosts()) {
      JsonNode vars = hostvars.path(h.name());
      assertThat(vars.path("ansible_host").asText()).as(h.name()).isEqualTo(h.ip());
      if (h.role() == NodeRole.LOAD_BALANCER) {
        assertThat(vars.has("token")).as("token on a load balancer").isFalse();
        continue;
      }
      assertThat(text(vars.path("server_config_yaml"))).isEqualTo(inventory.serverConfig(h));
      assertThat(vars.path("server_config_yaml").has("__ansible_unsafe")).isTrue();
      assertThat(text(vars.path("token"))).isEqualTo(token);
    }
  }

  @Test
  void renderHasAnsibleInventoryReadTheInventoryBack() {
    InventoryTest.Case c = cases().get(0);
    Topology topology = TestSpecs.topology(c.spec());
    K3sInstaller installer = K3sInstaller.builder().checkRenderedInventory(true).build();

    String rendered =
        installer.render(
            new KubernetesInstaller.Request(
                KubernetesInstaller.Action.CREATE,
                topology,
                TestSpecs.infrastructure(topology, c.dhcp()),
                new ClusterCredentials(
                    temp.resolve("id"), "", Map.of(), temp.resolve("known_hosts")),
                List.of(),
                temp.resolve("cluster")));

    assertThat(rendered)
        .endsWith("ansible-inventory reads " + topology.nodes().size() + " hosts")
        .contains(temp.resolve("cluster/ansible/inventory").toString());
  }
}
