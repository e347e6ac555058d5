package io.kubitect.core.picture;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.picture.FailureWarning.Kind;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import java.util.List;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One test per warning: a host holding a majority of the masters, all of them or the only one
 * (control plane), and a host holding every load balancer or the only one (VIP or API endpoint);
 * and the pictures mark exactly the hosts warned about.
 */
class TopologyPictureFailureDomainsTest {
  static final List<String> HOSTS = List.of("h1", "h2", "h3");

  static List<FailureWarning> warnings(ClusterSpec spec) {
    return new PictureRenderer(Topology.of(spec)).warnings();
  }

  static List<Tuple> described(ClusterSpec spec) {
    return warnings(spec).stream().map(w -> Tuple.tuple(w.kind(), w.host(), w.mark())).toList();
  }

  @Test
  void aHostWithAMajorityOfTheMastersStopsTheControlPlane() {
    ClusterSpec spec =
        PictureSpecs.cluster(HOSTS, List.of("h1", "h2"), List.of("h3", "h3", "h2"), List.of());

    assertThat(described(spec))
        .containsExactly(Tuple.tuple(Kind.CONTROL_PLANE, "h3", "control plane: 2 of 3 masters"));
    assertThat(warnings(spec).get(0).text())
        .isEqualTo(
            "Losing host h3 stops the control plane: it holds 2 of 3 masters (etcd loses its"
                + " quorum).");
    assertMarkedHosts(spec, "h3");
  }

  @Test
  void aHostWithAllTheMastersStopsTheControlPlane() {
    ClusterSpec spec =
        PictureSpecs.cluster(HOSTS, List.of("h1", "h3"), List.of("h2", "h2", "h2"), List.of("h1"));

    assertThat(described(spec))
        .containsExactly(Tuple.tuple(Kind.CONTROL_PLANE, "h2", "control plane: all 3 masters"));
    assertMarkedHosts(spec, "h2");
  }

  @Test
  void theHostOfTheOnlyMasterStopsTheControlPlane() {
    ClusterSpec spec = PictureSpecs.cluster(HOSTS, List.of(), List.of("h2"), List.of("h1", "h3"));

    assertThat(described(spec))
        .containsExactly(Tuple.tuple(Kind.CONTROL_PLANE, "h2", "control plane: the only master"));
    assertMarkedHosts(spec, "h2");
  }

  @Test
  void aMinorityOfTheMastersOnOneHostIsNoWarning() {
    List<String> five = List.of("h1", "h2", "h3", "h4", "h5");
    ClusterSpec twoOfFive =
        PictureSpecs.cluster(
            five, List.of("h4", "h5"), List.of("h1", "h1", "h2", "h2", "h3"), List.of());
    ClusterSpec threeOfFive =
        PictureSpecs.cluster(
            five, List.of("h4", "h5"), List.of("h1", "h1", "h1", "h2", "h3"), List.of());

    assertThat(warnings(twoOfFive)).isEmpty();
    assertThat(described(threeOfFive))
        .containsExactly(Tuple.tuple(Kind.CONTROL_PLANE, "h1", "control plane: 3 of 5 masters"));
  }

  @Test
  void aHostWithAllTheLoadBalancersTakesDownTheVip() {
    ClusterSpec spec =
        PictureSpecs.cluster(HOSTS, List.of("h2", "h2"), List.of("h1", "h2", "h3"), List.of());

    assertThat(described(spec))
        .containsExactly(Tuple.tuple(Kind.VIP, "h2", "VIP: all 2 load balancers"));
    assertThat(warnings(spec).get(0).text())
        .isEqualTo(
            "Losing host h2 takes down the VIP 10.10.13.200: it holds all 2 load balancers.");
    assertMarkedHosts(spec, "h2");
  }

  @Test
  void theHostOfASingleLoadBalancerTakesDownTheApiEndpoint() {
    ClusterSpec spec =
        PictureSpecs.cluster(HOSTS, List.of("h3"), List.of("h1", "h2", "h3"), List.of());

    assertThat(described(spec))
        .containsExactly(Tuple.tuple(Kind.VIP, "h3", "endpoint: the only load balancer"));
    assertThat(warnings(spec).get(0).text())
        .isEqualTo("Losing host h3 takes down the API endpoint: it holds the only load balancer.");
    assertMarkedHosts(spec, "h3");
  }

  @Test
  void theHostOfASingleLoadBalancerWithAVipTakesDownTheVip() {
    ClusterSpec spec =
        PictureSpecs.cluster(HOSTS, List.of("h3"), List.of("h1", "h2", "h3"), List.of());
    ClusterSpec withVip =
        spec.withCluster(
            spec.cluster()
                .withNodes(
                    spec.cluster()
                        .nodes()
                        .withLoadBalancer(
                            spec.cluster().nodes().loadBalancer().withVip("10.10.13.200"))));

    assertThat(described(withVip))
        .containsExactly(Tuple.tuple(Kind.VIP, "h3", "VIP: the only load balancer"));
  }

  @Test
  void oneHostCanStopBothAndItsControlPlaneWarningComesFirst() {
    ClusterSpec spec =
        PictureSpecs.cluster(HOSTS, List.of("h3", "h3"), List.of("h3", "h3", "h1"), List.of("h2"));

    assertThat(described(spec))
        .containsExactly(
            Tuple.tuple(Kind.CONTROL_PLANE, "h3", "control plane: 2 of 3 masters"),
            Tuple.tuple(Kind.VIP, "h3", "VIP: all 2 load balancers"));
    assertMarkedHosts(spec, "h3");
  }

  @Test
  void warningsFollowTheHostOrder() {
    ClusterSpec spec = PictureSpecs.cluster(HOSTS, List.of("h3"), List.of("h1"), List.of());

    assertThat(described(spec)).extracting(t -> t.toList().get(1)).containsExactly("h1", "h3");
    assertMarkedHosts(spec, "h1", "h3");
  }

  @Test
  void aSpreadClusterHasNoWarningAndSaysSo() throws Exception {
    ClusterSpec spec = PictureSpecs.example("ha.yaml");

    assertThat(warnings(spec)).isEmpty();
    Document doc = PictureChecks.parse(TopologyPicture.svg(spec));
    assertThat(PictureChecks.textContents(doc))
        .contains(
            "Losing any one host keeps the control plane (3 masters on 3 hosts) and the VIP (2"
                + " load balancers on 2 hosts) up.");
    assertMarkedHosts(spec);
  }

  /**
   * Exactly these hosts have a red border, a warning mark and their warnings' short texts; the
   * failure-domain panel lists every warning's sentence.
   */
  static void assertMarkedHosts(ClusterSpec spec, String... hosts) {
    Document doc;
    try {
      doc = PictureChecks.parse(TopologyPicture.svg(spec));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    List<String> marked =
        PictureChecks.elements(doc.getElementsByTagNameNS("*", "g")).stream()
            .filter(g -> title(g).startsWith("host "))
            .filter(g -> box(g).getAttribute("stroke").equals(Palette.WARNING.strong))
            .map(g -> title(g).substring("host ".length(), title(g).indexOf(' ', 5)))
            .toList();
    assertThat(marked).containsExactly(hosts);
    for (FailureWarning warning : warnings(spec)) {
      Element group =
          PictureChecks.elements(doc.getElementsByTagNameNS("*", "g")).stream()
              .filter(g -> title(g).startsWith("host " + warning.host() + " "))
              .findFirst()
              .orElseThrow();
      assertThat(PictureChecks.elements(group.getElementsByTagNameNS("*", "text")))
          .extracting(Element::getTextContent)
          .contains(warning.mark());
      assertThat(PictureChecks.elements(group.getElementsByTagNameNS("*", "polygon")))
          .as("warning marks of %s", warning.host())
          .isNotEmpty();
      assertThat(PictureChecks.textContents(doc)).contains(warning.text());
    }
  }

  private static String title(Element group) {
    return Optional.ofNullable(group.getElementsByTagNameNS("*", "title").item(0))
        .map(org.w3c.dom.Node::getTextContent)
        .orElse("");
  }

  private static Element box(Element group) {
    return (Element) group.getElementsByTagNameNS("*", "rect").item(0);
  }
}
