package io.kubitect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Adding and removing nodes on a {@link ClusterSpec}: the scale conveniences. */
class ClusterSpecScalingTest {
  private static final String WORKERS = "cluster.nodes.worker.instances";
  private static final String MASTERS = "cluster.nodes.master.instances";
  private static final String LOAD_BALANCERS = "cluster.nodes.loadBalancer.instances";
  private static final String HUGE = "9".repeat(1024 * 1024);
  private static final Duration QUICKLY = Duration.ofSeconds(5);

  /** The seed's HA cluster: load balancers 1-2, masters 1-3, workers 1-3. */
  private static final ClusterSpec HA = Examples.read("ha.yaml");

  // ---------------------------------------------------------------------------------- adding

  @Test
  void ofSetsOnlyIdAndHost() {
    assertThat(NodeInstance.of("4", "host1"))
        .isEqualTo(NodeInstance.builder().id("4").host("host1").build());
    assertThat(LoadBalancerInstance.of("3", "host2"))
        .isEqualTo(LoadBalancerInstance.builder().id("3").host("host2").build());
  }

  @Test
  void withWorkerAppendsToTheWorkers() {
    NodeInstance added = NodeInstance.builder().id("4").host("host5").cpu(8).build();

    ClusterSpec scaled = HA.withWorker(added);

    assertThat(ids(scaled.cluster().nodes().worker().instances(), NodeInstance::id))
        .containsExactly("1", "2", "3", "4");
    assertThat(scaled.cluster().nodes().worker().instances().get(3)).isEqualTo(added);
    assertThat(scaled.cluster().nodes().worker().defaults())
        .isEqualTo(HA.cluster().nodes().worker().defaults());
    assertUnchangedExcept(scaled, "worker");
  }

  @Test
  void withMasterAppendsToTheMasters() {
    ClusterSpec scaled = HA.withMaster(NodeInstance.of("4", "host1"));

    assertThat(ids(scaled.cluster().nodes().master().instances(), NodeInstance::id))
        .containsExactly("1", "2", "3", "4");
    assertUnchangedExcept(scaled, "master");
  }

  @Test
  void withLoadBalancerAppendsToTheLoadBalancers() {
    ClusterSpec scaled = HA.withLoadBalancer(LoadBalancerInstance.of("3", "host3"));

    assertThat(ids(scaled.cluster().nodes().loadBalancer().instances(), LoadBalancerInstance::id))
        .containsExactly("1", "2", "3");
    assertThat(scaled.cluster().nodes().loadBalancer().vip())
        .isEqualTo(HA.cluster().nodes().loadBalancer().vip());
    assertUnchangedExcept(scaled, "loadBalancer");
  }

  @Test
  void addingToAnEmptySpecCreatesTheGroup() {
    ClusterSpec empty = ClusterSpec.builder().build();

    ClusterSpec scaled =
        empty
            .withLoadBalancer(LoadBalancerInstance.of("1", "h"))
            .withMaster(NodeInstance.of("1", "h"))
            .withWorker(NodeInstance.of("1", "h"));

    assertThat(scaled.cluster().nodes().loadBalancer().instances()).hasSize(1);
    assertThat(scaled.cluster().nodes().master().instances()).hasSize(1);
    assertThat(scaled.cluster().nodes().worker().instances()).hasSize(1);
    assertThat(empty).isEqualTo(ClusterSpec.builder().build());
  }

  @Test
  void theSameIdMayBeUsedInEachGroup() {
    ClusterSpec scaled =
        ClusterSpec.builder()
            .build()
            .withWorker(NodeInstance.of("7", "h"))
            .withMaster(NodeInstance.of("7", "h"))
            .withLoadBalancer(LoadBalancerInstance.of("7", "h"));

    assertThat(scaled.cluster().nodes().worker().instances()).hasSize(1);
    assertThat(scaled.cluster().nodes().master().instances()).hasSize(1);
    assertThat(scaled.cluster().nodes().loadBalancer().instances()).hasSize(1);
  }

  @Test
  void addingAnExistingIdIsRefused() {
    assertRefused(
        () -> HA.withWorker(NodeInstance.of("2", "host1")), WORKERS + " already has id 2");
    assertRefused(
        () -> HA.withMaster(NodeInstance.of("3", "host1")), MASTERS + " already has id 3");
    assertRefused(
        () -> HA.withLoadBalancer(LoadBalancerInstance.of("1", "host1")),
        LOAD_BALANCERS + " already has id 1");
  }

  @Test
  void idsAreComparedAsWrittenNotAsNumbers() {
    // Kubitect reads ids as text: "01" is another id than "1", and another VM name.
    ClusterSpec scaled = HA.withWorker(NodeInstance.of("01", "host1"));

    assertThat(ids(scaled.cluster().nodes().worker().instances(), NodeInstance::id))
        .containsExactly("1", "2", "3", "01");
    assertRefused(() -> HA.withoutWorker("01"), WORKERS + " has no id 01");
  }

  @Test
  void addingAnInstanceWithoutIdIsRefused() {
    assertRefused(
        () -> HA.withWorker(NodeInstance.builder().host("host1").build()),
        WORKERS + ": the instance to add has no id");
    assertRefused(
        () -> HA.withMaster(NodeInstance.builder().build()),
        MASTERS + ": the instance to add has no id");
    assertRefused(
        () -> HA.withLoadBalancer(LoadBalancerInstance.builder().build()),
        LOAD_BALANCERS + ": the instance to add has no id");
  }

  // -------------------------------------------------------------------------------- removing

  @Test
  void withoutWorkerRemovesIt() {
    ClusterSpec scaled = HA.withoutWorker("2");

    assertThat(ids(scaled.cluster().nodes().worker().instances(), NodeInstance::id))
        .containsExactly("1", "3");
    assertUnchangedExcept(scaled, "worker");
    assertThat(HA.cluster().nodes().worker().instances()).hasSize(3);
  }

  @Test
  void withoutMasterRemovesIt() {
    ClusterSpec scaled = HA.withoutMaster("1");

    assertThat(ids(scaled.cluster().nodes().master().instances(), NodeInstance::id))
        .containsExactly("2", "3");
    assertUnchangedExcept(scaled, "master");
  }

  @Test
  void withoutLoadBalancerRemovesIt() {
    ClusterSpec scaled = HA.withoutLoadBalancer("2");

    assertThat(ids(scaled.cluster().nodes().loadBalancer().instances(), LoadBalancerInstance::id))
        .containsExactly("1");
    assertUnchangedExcept(scaled, "loadBalancer");
  }

  @Test
  void addingThenRemovingGivesTheSpecBack() {
    assertThat(HA.withWorker(NodeInstance.of("9", "host1")).withoutWorker("9")).isEqualTo(HA);
    assertThat(HA.withMaster(NodeInstance.of("9", "host1")).withoutMaster("9")).isEqualTo(HA);
    assertThat(HA.withLoadBalancer(LoadBalancerInstance.of("9", "host1")).withoutLoadBalancer("9"))
        .isEqualTo(HA);
  }

  @Test
  void removingAMissingIdIsRefused() {
    assertRefused(() -> HA.withoutWorker("7"), WORKERS + " has no id 7");
    assertRefused(() -> HA.withoutMaster("7"), MASTERS + " has no id 7");
    assertRefused(() -> HA.withoutLoadBalancer("3"), LOAD_BALANCERS + " has no id 3");
    assertRefused(() -> ClusterSpec.builder().build().withoutWorker("1"), WORKERS + " has no id 1");
  }

  @Test
  void removingAnIdRemovesEveryInstanceWithIt() {
    // Only an invalid specification has a duplicate id; none of them is left.
    ClusterSpec duplicated =
        ClusterSpec.builder()
            .cluster(
                Cluster.builder()
                    .nodes(
                        Nodes.builder()
                            .worker(
                                NodeGroup.builder()
                                    .addInstance(NodeInstance.of("1", "a"))
                                    .addInstance(NodeInstance.of("2", "a"))
                                    .addInstance(NodeInstance.of("1", "b"))
                                    .build())
                            .build())
                    .build())
            .build();

    ClusterSpec scaled = duplicated.withoutWorker("1");

    assertThat(scaled.cluster().nodes().worker().instances())
        .containsExactly(NodeInstance.of("2", "a"));
  }

  // ------------------------------------------------------------------------------ node names

  @Test
  void withoutNodeRemovesTheNodeOfThatRole() {
    assertThat(HA.withoutNode("kubitect-ha-worker-3")).isEqualTo(HA.withoutWorker("3"));
    assertThat(HA.withoutNode("kubitect-ha-master-2")).isEqualTo(HA.withoutMaster("2"));
    assertThat(HA.withoutNode("kubitect-ha-lb-1")).isEqualTo(HA.withoutLoadBalancer("1"));
  }

  @Test
  void withoutNodeHandlesHyphensInClusterNameAndId() {
    ClusterSpec spec =
        ClusterSpec.builder()
            .cluster(Cluster.builder().name("my-lab").build())
            .build()
            .withWorker(NodeInstance.of("lb-1", "h"))
            .withWorker(NodeInstance.of("a-b_c", "h"))
            .withLoadBalancer(LoadBalancerInstance.of("1", "h"));

    ClusterSpec withoutWorker = spec.withoutNode("my-lab-worker-lb-1");
    ClusterSpec withoutOther = spec.withoutNode("my-lab-worker-a-b_c");
    ClusterSpec withoutLb = spec.withoutNode("my-lab-lb-1");

    assertThat(ids(withoutWorker.cluster().nodes().worker().instances(), NodeInstance::id))
        .containsExactly("a-b_c");
    assertThat(withoutWorker.cluster().nodes().loadBalancer().instances()).hasSize(1);
    assertThat(ids(withoutOther.cluster().nodes().worker().instances(), NodeInstance::id))
        .containsExactly("lb-1");
    assertThat(withoutLb.cluster().nodes().worker().instances()).hasSize(2);
    assertThat(withoutLb.cluster().nodes().loadBalancer().instances()).isEmpty();
  }

  @Test
  void withoutNodeOfAMissingIdNamesTheGroup() {
    assertRefused(() -> HA.withoutNode("kubitect-ha-worker-7"), WORKERS + " has no id 7");
    assertRefused(() -> HA.withoutNode("kubitect-ha-lb-3"), LOAD_BALANCERS + " has no id 3");
    assertRefused(() -> HA.withoutNode("kubitect-ha-master-"), MASTERS + " has no id ''");
  }

  // --------------------------------------------------------------------------- hostile input

  @Test
  void nullsAreRefused() {
    assertThrows(NullPointerException.class, () -> HA.withWorker(nullNode()));
    assertThrows(NullPointerException.class, () -> HA.withMaster(nullNode()));
    assertThrows(NullPointerException.class, () -> HA.withLoadBalancer(nullLoadBalancer()));
    assertThrows(NullPointerException.class, () -> HA.withoutWorker(nullString()));
    assertThrows(NullPointerException.class, () -> HA.withoutMaster(nullString()));
    assertThrows(NullPointerException.class, () -> HA.withoutLoadBalancer(nullString()));
    assertThrows(NullPointerException.class, () -> HA.withoutNode(nullString()));
    assertThrows(NullPointerException.class, () -> NodeInstance.of(nullString(), "h"));
    assertThrows(NullPointerException.class, () -> NodeInstance.of("1", nullString()));
    assertThrows(NullPointerException.class, () -> LoadBalancerInstance.of(nullString(), "h"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "kubitect-ha",
        "kubitect-ha-",
        "kubitect-ha-worker",
        "kubitect-ha-etcd-1",
        "kubitect-ha-Worker-1",
        "kubitect-ha-workers-1",
        "kubitect-ha-loadBalancer-1",
        "kubitect-ha-load-balancer-1",
        "kubitect-ha--worker-1",
        "kubitect-ha worker-1",
        "other-worker-1",
        "kubitect-worker-1",
        "kubitect-ha2-worker-1",
        "KUBITECT-HA-worker-1",
        " kubitect-ha-worker-1",
        "worker-1",
        "1"
      })
  void withoutNodeRefusesNamesThatAreNotNodesOfThisCluster(String name) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HA.withoutNode(name));

    assertThat(e.getMessage())
        .isEqualTo(
            KubitectYaml.quote(name)
                + " is not a node name of cluster kubitect-ha: node names are"
                + " kubitect-ha-lb-<id>, kubitect-ha-master-<id> and kubitect-ha-worker-<id>");
  }

  @Test
  void withoutNodeWithoutAClusterNameIsRefused() {
    ClusterSpec unnamed = ClusterSpec.builder().build().withWorker(NodeInstance.of("1", "h"));

    assertRefused(
        () -> unnamed.withoutNode("-worker-1"),
        "cluster.name is not set, so '-worker-1' names no node");
  }

  @Test
  void controlCharactersStayOutOfTheMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> HA.withoutNode("kubitect-ha-worker-1\nX"));

    assertThat(e.getMessage()).isEqualTo(WORKERS + " has no id '1\\nX'");
    assertRefused(() -> HA.withoutWorker("\u0000"), WORKERS + " has no id '\\u0000'");
  }

  @Test
  void hugeStringsAreRefusedQuicklyWithAShortMessage() {
    String huge = "kubitect-ha-worker-" + HUGE;
    String other = "x".repeat(1024 * 1024);
    ClusterSpec withHugeId = HA.withWorker(NodeInstance.of(HUGE, "host1"));

    List<IllegalArgumentException> refusals =
        assertTimeoutPreemptively(
            QUICKLY,
            () ->
                List.of(
                    assertThrows(IllegalArgumentException.class, () -> HA.withoutNode(huge)),
                    assertThrows(IllegalArgumentException.class, () -> HA.withoutNode(other)),
                    assertThrows(IllegalArgumentException.class, () -> HA.withoutWorker(HUGE)),
                    assertThrows(
                        IllegalArgumentException.class,
                        () -> withHugeId.withWorker(NodeInstance.of(HUGE, "host1")))));

    for (IllegalArgumentException e : refusals) {
      assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("\n");
    }
    assertThat(refusals.get(0).getMessage())
        .isEqualTo(WORKERS + " has no id '" + "9".repeat(80) + "...'");
    assertThat(withHugeId.withoutNode(huge)).isEqualTo(HA);
  }

  @Test
  void hugeClusterNameIsCutInTheMessage() {
    String longName = "c".repeat(100_000);
    ClusterSpec spec =
        ClusterSpec.builder().cluster(Cluster.builder().name(longName).build()).build();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> spec.withoutNode("other-worker-1"));

    assertThat(e.getMessage()).hasSizeLessThan(600).startsWith("'other-worker-1' is not a node");
  }

  // ---------------------------------------------------------------------------------- helpers

  private static void assertRefused(Runnable call, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertThat(e.getMessage()).isEqualTo(message);
  }

  private static <T> List<String> ids(List<T> instances, Function<T, Optional<String>> id) {
    return instances.stream().map(i -> id.apply(i).orElseThrow()).toList();
  }

  /** Everything but the named group of {@code cluster.nodes} is as in {@link #HA}. */
  private static void assertUnchangedExcept(ClusterSpec scaled, String group) {
    Nodes before = HA.cluster().nodes();
    Nodes after = scaled.cluster().nodes();
    Nodes restored =
        switch (group) {
          case "worker" -> after.withWorker(before.worker());
          case "master" -> after.withMaster(before.master());
          case "loadBalancer" -> after.withLoadBalancer(before.loadBalancer());
          default -> throw new IllegalArgumentException(group);
        };
    assertThat(scaled.withCluster(scaled.cluster().withNodes(restored))).isEqualTo(HA);
  }

  // Raw nulls on purpose, as a careless caller would pass them: refused at once.
  @SuppressWarnings("NullAway")
  private static String nullString() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static NodeInstance nullNode() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static LoadBalancerInstance nullLoadBalancer() {
    return null;
  }
}
