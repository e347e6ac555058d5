package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ansible itself reads the rendered inventories: {@code ansible-inventory -i hosts.yaml --list} on
 * every golden case sees the groups, the host variables and the group variables as intended.
 */
class InventoryAnsibleIT {
  @TempDir Path temp;

  @BeforeAll
  static void needsAnsible() {
    Requirements.requireCommand("ansible-inventory");
  }

  static List<InventoryTest.Case> cases() {
    return InventoryTest.cases().toList();
  }

  private JsonNode list(InventoryTest.Case c) throws IOException, InterruptedException {
    Path dir = temp.resolve(c.name());
    InventoryTest.render(c).write(dir);
    Process p =
        new ProcessBuilder(
                "ansible-inventory", "-i", dir.resolve("hosts.yaml").toString(), "--list")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper().readTree(out);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(n -> values.add(n.asText()));
    return values;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ansibleSeesTheGroupsAndVariables(InventoryTest.Case c) throws Exception {
    Inventory inventory = InventoryTest.render(c);
    JsonNode json = list(c);

    assertThat(texts(json.path("k8s_cluster").path("children")))
        .containsExactlyInAnyOrder("kube_control_plane", "kube_node");
    assertThat(texts(json.path("kube_control_plane").path("hosts")))
        .containsExactlyElementsOf(inventory.names(io.kubitect.core.NodeRole.MASTER));
    assertThat(texts(json.path("etcd").path("hosts")))
        .containsExactlyElementsOf(inventory.names(io.kubitect.core.NodeRole.MASTER));
    assertThat(texts(json.path("kube_node").path("hosts")))
        .containsExactlyElementsOf(inventory.kubeNode());
    assertThat(texts(json.path("haproxy").path("hosts")))
        .containsExactlyElementsOf(inventory.names(io.kubitect.core.NodeRole.LOAD_BALANCER));

    JsonNode hostvars = json.path("_meta").path("hostvars");
    for (Inventory.Host h : inventory.hosts()) {
      JsonNode vars = hostvars.path(h.name());
      assertThat(vars.path("ansible_host").asText()).as(h.name()).isEqualTo(h.ip());
      if (h.role() == io.kubitect.core.NodeRole.LOAD_BALANCER) {
        assertThat(vars.path("priority").asInt()).isEqualTo(h.priority());
        assertThat(vars.has("kube_version")).as("k8s_cluster vars on a load balancer").isFalse();
        continue;
      }
      assertThat(vars.path("kube_version").asText()).isEqualTo(inventory.kubeVersion());
      assertThat(vars.path("kube_version").isTextual()).isTrue();
      assertThat(vars.path("ip").asText()).isEqualTo(h.ip());
      h.labels()
          .forEach((k, v) -> assertThat(vars.path("node_labels").path(k).asText()).isEqualTo(v));
      assertThat(vars.path("node_labels").size()).isEqualTo(h.labels().size());
      assertThat(texts(vars.path("node_taints"))).containsExactlyElementsOf(h.taints());
      if (inventory.hasLoadBalancers()) {
        assertThat(vars.path("loadbalancer_apiserver").path("address").asText())
            .isEqualTo(inventory.apiAddress());
        assertThat(vars.path("loadbalancer_apiserver").path("port").asInt()).isEqualTo(6443);
        assertThat(vars.path("apiserver_loadbalancer_domain_name").asText())
            .isEqualTo(inventory.apiAddress());
      } else {
        assertThat(vars.has("loadbalancer_apiserver")).isFalse();
      }
      if (inventory.names(io.kubitect.core.NodeRole.MASTER).contains(h.name())) {
        assertThat(vars.path("etcd_deployment_type").asText()).isEqualTo("host");
      }
    }
  }

  @Test
  void passesAddonsThroughWithTheirTypesAndKeepsDerivedVariables() throws Exception {
    InventoryTest.Case c =
        cases().stream().filter(x -> x.name().equals("labels-taints")).findFirst().orElseThrow();
    JsonNode vars = list(c).path("_meta").path("hostvars").path("labelled-worker-1");

    assertThat(vars.path("ingress_nginx_enabled").isBoolean()).isTrue();
    assertThat(vars.path("auto_renew_certificates").asBoolean()).isTrue();
    assertThat(vars.path("kube_network_plugin").asText()).isEqualTo("flannel");
    assertThat(
            text(
                vars.path("metallb_config")
                    .path("address_pools")
                    .path("primary")
                    .path("ip_range")
                    .get(0)))
        .isEqualTo("192.168.113.241-192.168.113.254");
    // addons.kubespray overrides Kubitect's defaults, not what the specification decides.
    assertThat(text(vars.path("resolvconf_mode"))).isEqualTo("docker_dns");
    assertThat(vars.path("kube_version").asText()).isEqualTo("1.33.4");
    assertThat(text(vars.path("yes"))).isEqualTo("no");
  }

  /** Text, also as {@code ansible-inventory} lists a {@code !unsafe} value. */
  private static String text(JsonNode node) {
    return node.has("__ansible_unsafe") ? node.path("__ansible_unsafe").asText() : node.asText();
  }

  /**
   * The real {@code ansible} resolves addon variables for a node: a lookup in a value comes out as
   * the characters written and runs nothing, while the same lookup in a plain group variable (the
   * control, written next to the rendered files) does run, so the check would see templating.
   */
  @Test
  void addonValuesReachAnsibleVerbatimAndNoLookupRuns() throws Exception {
    Requirements.requireCommand("ansible");
    Path marker = temp.resolve("lookup-ran");
    Path nestedMarker = temp.resolve("nested-lookup-ran");
    Path controlMarker = temp.resolve("control-lookup-ran");
    String probe = "{{ lookup('pipe', 'touch " + marker + "; id -u') }}";
    String nestedProbe = "{{ lookup('pipe', 'touch " + nestedMarker + "') }}";
    Map<String, Object> addons = new LinkedHashMap<>();
    addons.put("probe", probe);
    addons.put("nested", Map.of("list", List.of(nestedProbe, "{% raw %}x")));
    Inventory inventory = InventoryTest.withAddons(addons);
    Path dir = temp.resolve("inventory");
    inventory.write(dir);
    Files.writeString(
        dir.resolve("group_vars/k8s_cluster/control.yml"),
        "---\ncontrol: \"{{ lookup('pipe', 'touch " + controlMarker + "; echo ran') }}\"\n");
    String host = inventory.kubernetesHosts().get(0);

    JsonNode probeResult = debug(dir, host, "probe");
    JsonNode nestedResult = debug(dir, host, "nested");
    JsonNode controlResult = debug(dir, host, "control");

    assertThat(probeResult.path("probe").asText()).isEqualTo(probe);
    assertThat(nestedResult.path("nested").path("list").get(0).asText()).isEqualTo(nestedProbe);
    assertThat(nestedResult.path("nested").path("list").get(1).asText()).isEqualTo("{% raw %}x");
    assertThat(marker).doesNotExist();
    assertThat(nestedMarker).doesNotExist();
    assertThat(controlResult.path("control").asText()).isEqualTo("ran");
    assertThat(controlMarker).exists();
  }

  /** {@code ansible HOST -m debug -a var=NAME} on the local connection; the result as JSON. */
  private JsonNode debug(Path inventory, String host, String variable)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                "ansible",
                host,
                "-i",
                inventory.resolve(Inventory.HOSTS_FILE).toString(),
                "-c",
                "local",
                "-o",
                "-m",
                "debug",
                "-a",
                "var=" + variable)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("ANSIBLE_LOCAL_TEMP", temp.resolve("ansible-tmp").toString());
    pb.environment().put("ANSIBLE_NOCOLOR", "True");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    int start = out.indexOf("=> ");
    assertThat(start).as(out).isPositive();
    return new ObjectMapper().readTree(out.substring(start + 3));
  }
}
