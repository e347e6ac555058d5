package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster's kubeconfig merged into the user's and taken out again, in Java. */
class UserKubeconfigTest {
  /** What the installer leaves: every name is the cluster's. */
  static final String CLUSTER =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - cluster:
          certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
          server: https://10.10.13.200:6443
        name: k8s
      contexts:
      - context:
          cluster: k8s
          user: k8s
        name: k8s
      current-context: k8s
      users:
      - name: k8s
        user:
          client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUQ=
          client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlF
      """;

  /** A user's kubeconfig with another cluster, a stale entry named k8s and keys of its own. */
  static final String USER =
      """
      apiVersion: v1
      kind: Config
      preferences:
        colors: true
      clusters:
      - cluster:
          server: https://prod.example:6443
          insecure-skip-tls-verify: false
        name: prod
      - cluster:
          server: https://old.example:6443
        name: k8s
      contexts:
      - context:
          cluster: prod
          user: admin
          namespace: "007"
        name: prod
      current-context: prod
      users:
      - name: admin
        user:
          token: "true"
      extensions:
      - name: my-tool
        extension:
          last-update: 2024-01-02
      """;

  private static JsonNode tree(String yaml) throws Exception {
    return new YAMLMapper().readTree(yaml);
  }

  private static UserKubeconfig.Names names() {
    return UserKubeconfig.names(CLUSTER, "admin.conf");
  }

  @Test
  void theNamesOfTheClustersEntries() {
    UserKubeconfig.Names names = names();
    assertThat(names.of("clusters")).containsExactly("k8s");
    assertThat(names.of("contexts")).containsExactly("k8s");
    assertThat(names.of("users")).containsExactly("k8s");
    assertThat(names.toRecord()).isEqualTo("clusters=k8s\ncontexts=k8s\nusers=k8s\n");
    assertThat(UserKubeconfig.Names.fromRecord(names.toRecord())).isEqualTo(names);
    assertThat(UserKubeconfig.Names.fromRecord("# x\nother=y\nclusters\n").isEmpty()).isTrue();
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(strings = {"", "\n\n", "# only a comment\n", "   "})
  void intoNothingTheClustersConfigIsTheFile(String user) throws Exception {
    JsonNode merged = tree(UserKubeconfig.merge(user, CLUSTER, "config", "admin.conf"));

    assertThat(merged.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(merged.path("kind").asText()).isEqualTo("Config");
    assertThat(merged.path("current-context").asText()).isEqualTo("k8s");
    for (String section : UserKubeconfig.SECTIONS) {
      assertThat(merged.get(section)).isEqualTo(tree(CLUSTER).get(section));
    }
  }

  @Test
  void theUsersEntriesAndKeysStayAndTheSameNamedEntryIsReplacedInPlace() throws Exception {
    JsonNode merged = tree(UserKubeconfig.merge(USER, CLUSTER, "config", "admin.conf"));
    JsonNode user = tree(USER);

    assertThat(merged.path("current-context").asText()).isEqualTo("prod");
    assertThat(merged.get("preferences")).isEqualTo(user.get("preferences"));
    assertThat(merged.get("extensions")).isEqualTo(user.get("extensions"));
    assertThat(merged.path("clusters").get(0)).isEqualTo(user.path("clusters").get(0));
    assertThat(merged.path("clusters").get(1)).isEqualTo(tree(CLUSTER).path("clusters").get(0));
    assertThat(merged.path("clusters")).hasSize(2);
    assertThat(merged.path("contexts")).hasSize(2);
    assertThat(merged.path("contexts").get(0)).isEqualTo(user.path("contexts").get(0));
    assertThat(merged.path("users")).hasSize(2);
    // Text that reads as something else stays text.
    assertThat(merged.at("/contexts/0/context/namespace").isTextual()).isTrue();
    assertThat(merged.at("/users/0/user/token").asText()).isEqualTo("true");
    assertThat(merged.at("/users/0/user/token").isTextual()).isTrue();
    assertThat(merged.at("/clusters/0/cluster/insecure-skip-tls-verify").isBoolean()).isTrue();
  }

  @Test
  void mergingTwiceIsMergingOnceAndRemovingGivesBackTheOthers() throws Exception {
    String once = UserKubeconfig.merge(USER, CLUSTER, "config", "admin.conf");
    String twice = UserKubeconfig.merge(once, CLUSTER, "config", "admin.conf");
    assertThat(twice).isEqualTo(once);

    JsonNode removed = tree(UserKubeconfig.remove(once, names(), "config"));
    JsonNode user = tree(USER);
    assertThat(removed.path("clusters")).containsExactly(user.path("clusters").get(0));
    assertThat(removed.path("contexts")).isEqualTo(user.path("contexts"));
    assertThat(removed.path("users")).isEqualTo(user.path("users"));
    assertThat(removed.path("current-context").asText()).isEqualTo("prod");
  }

  @Test
  void removingTheCurrentContextClearsIt() throws Exception {
    String merged = UserKubeconfig.merge("", CLUSTER, "config", "admin.conf");

    JsonNode removed = tree(UserKubeconfig.remove(merged, names(), "config"));

    assertThat(removed.path("current-context").asText()).isEmpty();
    assertThat(removed.path("contexts")).isEmpty();
  }

  @Test
  void removingWhatIsNotThereLeavesTheTextAsItWas() {
    String mine = "# mine\napiVersion: v1\nclusters: []\n";
    assertThat(UserKubeconfig.remove(mine, names(), "config")).isSameAs(mine);
    assertThat(UserKubeconfig.remove("", names(), "config")).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "clusters: [",
        "- a\n- b\n",
        "~\n",
        "just text",
        "clusters: {name: x}\n",
        "clusters:\n- cluster: {}\n",
        "users:\n- name: [a]\n",
        "contexts: 3\n",
        "apiVersion: v1\napiVersion: v2\n",
        "base: &b {name: x}\nclusters:\n- *b\n",
        "\tclusters: []\n"
      })
  void aUserFileThatIsNoKubeconfigIsRefusedInOneLine(String user) {
    assertThatThrownBy(
            () -> UserKubeconfig.merge(user, CLUSTER, "/home/u/.kube/config", "admin.conf"))
        .isInstanceOf(UserFile.Unusable.class)
        .hasMessageStartingWith("/home/u/.kube/config")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void deepNestingIsRefused() {
    String deep = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    assertThatThrownBy(() -> UserKubeconfig.merge(deep, CLUSTER, "config", "admin.conf"))
        .isInstanceOf(UserFile.Unusable.class);
  }

  @Test
  void aClusterKubeconfigWithoutUsableNamesIsRefused() {
    assertThatThrownBy(() -> UserKubeconfig.names("clusters:\n- name: \"a\\nb\"\n", "admin.conf"))
        .isInstanceOf(UserFile.Unusable.class)
        .hasMessageContaining("no usable name");
    assertThatThrownBy(() -> UserKubeconfig.names("clusters:\n- name: \"\"\n", "admin.conf"))
        .isInstanceOf(UserFile.Unusable.class);
  }
}
