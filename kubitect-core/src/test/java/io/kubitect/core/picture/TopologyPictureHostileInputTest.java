package io.kubitect.core.picture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.ValidationException;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Connection;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.DataDisk;
import io.kubitect.model.DataResourcePool;
import io.kubitect.model.ForwardPort;
import io.kubitect.model.Host;
import io.kubitect.model.HostSsh;
import io.kubitect.model.Network;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

/**
 * What the validator refuses never reaches the picture through {@link TopologyPicture#svg}; drawn
 * anyway (through the package's unvalidated entry point), markup stays text, characters XML cannot
 * carry are replaced, huge names are cut with an ellipsis and every text stays in its box. Hosts
 * with no node, and with many, are drawn too.
 */
class TopologyPictureHostileInputTest {
  static final String MARKUP = "<b>&amp;\"q\"'a'</b><script>x</script>";

  static ClusterSpec base() {
    return PictureSpecs.cluster(
        List.of("h1", "h2", "h3"),
        List.of("h1", "h2"),
        List.of("h1", "h2", "h3"),
        List.of("h2", "h3"));
  }

  /** Puts {@code text} into every string of the specification the picture shows. */
  static ClusterSpec everywhere(String text) {
    ClusterSpec spec = base();
    List<Host> hosts = new ArrayList<>();
    for (Host host : spec.hosts()) {
      String name = host.name().orElseThrow() + text;
      hosts.add(
          Host.builder()
              .name(name)
              .connection(
                  Connection.builder()
                      .type(ConnectionType.REMOTE)
                      .ip("10.0.0.1" + text)
                      .user("u" + text)
                      .ssh(HostSsh.builder().keyfile("~/k").build())
                      .build())
              .addDataResourcePools(
                  DataResourcePool.builder().name("pool" + text).path("/p").build())
              .build());
    }
    var nodes = spec.cluster().nodes();
    var lbs =
        nodes
            .loadBalancer()
            .withVip("10.10.13.200" + text)
            .withForwardPorts(ForwardPort.builder().name("http" + text).port(80).build())
            .withInstances(
                nodes.loadBalancer().instances().stream()
                    .map(
                        i ->
                            i.withId(i.id().orElseThrow() + text)
                                .withHost(i.host().orElseThrow() + text)
                                .withIp(i.ip().orElseThrow() + text))
                    .toList());
    return spec.withHosts(hosts)
        .withCluster(
            spec.cluster()
                .withName("pic" + text)
                .withNetwork(
                    Network.builder()
                        .mode(NetworkMode.BRIDGE)
                        .cidr("10.10.0.0/20")
                        .bridge("br" + text)
                        .gateway("10.10.0.1" + text)
                        .build())
                .withNodeTemplate(
                    NodeTemplate.builder()
                        .from(spec.cluster().nodeTemplate())
                        .addDns("10.10.0.53" + text)
                        .build())
                .withNodes(
                    nodes
                        .withLoadBalancer(lbs)
                        .withMaster(hostile(nodes.master(), text))
                        .withWorker(hostile(nodes.worker(), text))));
  }

  private static NodeGroup hostile(NodeGroup group, String text) {
    return group.withInstances(
        group.instances().stream()
            .map(
                i ->
                    NodeInstance.builder()
                        .from(i)
                        .id(i.id().orElseThrow() + text)
                        .host(i.host().orElseThrow() + text)
                        .ip(i.ip().orElseThrow() + text)
                        .addDataDisks(
                            DataDisk.builder()
                                .name("disk" + text)
                                .pool("pool" + text)
                                .size(8)
                                .build())
                        .build())
            .toList());
  }

  static String draw(ClusterSpec spec) {
    return TopologyPicture.svg(Topology.of(spec));
  }

  @Test
  void theValidatedEntryPointRefusesMarkupInNames() {
    assertThatThrownBy(() -> TopologyPicture.svg(everywhere(MARKUP)))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void markupInEveryStringStaysText() throws Exception {
    String svg = draw(everywhere(MARKUP));

    Document doc = PictureChecks.parse(svg);
    assertThat(doc.getElementsByTagNameNS("*", "script").getLength()).isZero();
    assertThat(doc.getElementsByTagNameNS("*", "b").getLength()).isZero();
    assertThat(svg).doesNotContain("<script").doesNotContain("<b>");
    List<String> texts = PictureChecks.textContents(doc);
    assertThat(texts).anyMatch(t -> t.contains("<b>&amp;\"q\"'a'"));
    assertThat(texts).anyMatch(t -> t.startsWith("h1<b>"));
    assertThat(texts).anyMatch(t -> t.contains("disk<b>"));
    assertThat(texts).anyMatch(t -> t.contains("VIP 10.10.13.200<b>"));
    assertThat(texts).anyMatch(t -> t.contains("http<b>"));
    PictureChecks.assertTextsFit(doc);
  }

  @Test
  void hugeNamesAreCutWithAnEllipsisAndStayInTheirBoxes() throws Exception {
    String huge = "-" + "W".repeat(20_000);

    String svg = draw(everywhere(huge));

    assertThat(svg.length()).isLessThan(200_000);
    Document doc = PictureChecks.parse(svg);
    PictureChecks.assertTextsFit(doc);
    assertThat(PictureChecks.textContents(doc))
        .filteredOn(t -> t.contains("WWWW"))
        .isNotEmpty()
        .allMatch(t -> t.endsWith(Texts.ELLIPSIS));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\u0000nul",
        "\u001b[31mansi",
        "\ud800lone",
        "\uffffnon",
        "\u202eevil",
        "tab\tnew\nline"
      })
  void charactersXmlCannotCarryAreReplaced(String text) throws Exception {
    String svg = draw(everywhere(text));

    Document doc = PictureChecks.parse(svg);
    assertThat(svg)
        .doesNotContain("\u0000", "\u001b", "\ud800", "\uffff", "\u202e", "\t", "tab\nnew");
    PictureChecks.assertTextsFit(doc);
  }

  @Test
  void wideCharactersCountTwice() throws Exception {
    String svg = draw(everywhere("节点".repeat(40) + "\ud83d\ude80".repeat(10)));

    Document doc = PictureChecks.parse(svg);
    PictureChecks.assertTextsFit(doc);
    assertThat(svg).contains("节点").doesNotContain("\ud83d\u2026");
  }

  @Test
  void hostsWithoutNodesSayNoNodes() throws Exception {
    ClusterSpec spec =
        PictureSpecs.cluster(
            List.of("h1", "h2", "h3", "h4"), List.of(), List.of("h1"), List.of("h1"));

    Document doc = PictureChecks.parse(TopologyPicture.svg(spec));

    assertThat(PictureChecks.textContents(doc)).filteredOn("no nodes"::equals).hasSize(3);
    PictureChecks.assertTextsFit(doc);
  }

  @Test
  void aClusterWithoutAnyNodeIsStillDrawn() throws Exception {
    ClusterSpec spec = PictureSpecs.cluster(List.of("h1", "h2"), List.of(), List.of(), List.of());

    Document doc = PictureChecks.parse(draw(spec));

    assertThat(PictureChecks.textContents(doc))
        .contains("no master")
        .filteredOn("no nodes"::equals)
        .hasSize(2);
  }

  @Test
  void aHostWithManyNodesGrowsToHoldThemAll() throws Exception {
    List<String> workers = IntStream.range(0, 60).mapToObj(i -> "h2").toList();
    ClusterSpec spec = PictureSpecs.cluster(List.of("h1", "h2"), List.of(), List.of("h1"), workers);

    String svg = TopologyPicture.svg(spec);

    Document doc = PictureChecks.parse(svg);
    PictureChecks.assertTextsFit(doc);
    List<String> texts = PictureChecks.textContents(doc);
    for (int i = 1; i <= 60; i++) {
      assertThat(texts).contains("pic-worker-" + i);
    }
  }

  @Test
  void manyDataDisksAreSummed() throws Exception {
    ClusterSpec spec = PictureSpecs.cluster(List.of("h1"), List.of(), List.of("h1"), List.of("h1"));
    NodeInstance worker = spec.cluster().nodes().worker().instances().get(0);
    List<DataDisk> disks =
        IntStream.rangeClosed(1, 10)
            .mapToObj(i -> DataDisk.builder().name("d" + i).pool("data-pool").size(i).build())
            .toList();
    spec =
        spec.withCluster(
            spec.cluster()
                .withNodes(
                    spec.cluster()
                        .nodes()
                        .withWorker(
                            NodeGroup.builder()
                                .addInstances(worker.withDataDisks(disks))
                                .build())));

    List<String> texts = PictureChecks.textContents(PictureChecks.parse(TopologyPicture.svg(spec)));

    assertThat(texts)
        .contains("data disk d1 \u00b7 1 GiB \u00b7 data-pool", "and 7 more data disks")
        .doesNotContain("data disk d4 \u00b7 4 GiB \u00b7 data-pool");
  }

  @ParameterizedTest(name = "{0} hosts")
  @ValueSource(ints = {1, 2, 3, 4, 5, 8, 9, 13, 16, 17, 20})
  void oneToTwentyHostsWrapInAGridOfAtMostFourColumns(int count) throws Exception {
    List<String> hosts = IntStream.rangeClosed(1, count).mapToObj(i -> "h" + i).toList();
    List<String> masters = List.of("h1", hosts.get(1 % count), hosts.get(2 % count));
    List<String> workers = hosts;
    ClusterSpec spec =
        PictureSpecs.cluster(hosts, List.of("h1", hosts.get(count - 1)), masters, workers);

    Document doc = PictureChecks.parse(TopologyPicture.svg(spec));

    int width = PictureChecks.intAttr(doc.getDocumentElement(), "width");
    int columns = Math.min(count, 4);
    assertThat(width)
        .isLessThanOrEqualTo(
            Math.max(
                PictureRenderer.MIN_WIDTH,
                2 * PictureRenderer.MARGIN
                    + columns * PictureRenderer.HOST_WIDTH
                    + (columns - 1) * PictureRenderer.HOST_GAP));
    PictureChecks.assertTextsFit(doc);
  }
}
