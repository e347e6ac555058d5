package io.kubitect.testing;

import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Specifications to test with, each a YAML resource of this module, every one valid and meant for
 * simulated hosts (their addresses are never reached). The constants name them for {@link
 * KubitectTest#spec()} and {@link KubitectExtension.Builder#spec(String)}; the methods read them.
 *
 * <ul>
 *   <li>{@link #HA}: the seed's highly available cluster, {@code examples/ha.yaml} of the
 *       repository: cluster {@code kubitect-ha}, 2 load balancers (VIP {@code 10.10.13.200}), 3
 *       masters and 3 workers with a data disk each, on 5 remote hosts {@code host1}..{@code
 *       host5}, bridged network {@code 10.10.0.0/20}, Kubernetes v1.23.7 with Kubespray v2.19.0.
 *   <li>{@link #SINGLE_NODE}: {@code examples/single-node.yaml}: cluster {@code single-node}, one
 *       master on the local host, NAT network {@code 192.168.113.0/24}.
 *   <li>{@link #MULTI_HOST}: cluster {@code multi-host}, one master and two workers, each on a
 *       remote host of its own ({@code host1}..{@code host3}), bridged network {@code
 *       10.20.0.0/24}, no load balancer.
 * </ul>
 */
public final class SpecFixtures {
  /** {@code classpath:} location of the seed's HA cluster (8 nodes on 5 hosts). */
  public static final String HA = "classpath:io/kubitect/testing/ha.yaml";

  /** {@code classpath:} location of the single-node cluster (1 master on the local host). */
  public static final String SINGLE_NODE = "classpath:io/kubitect/testing/single-node.yaml";

  /** {@code classpath:} location of the multi-host cluster (3 nodes on 3 hosts). */
  public static final String MULTI_HOST = "classpath:io/kubitect/testing/multi-host.yaml";

  private SpecFixtures() {}

  /** The seed's HA cluster, {@code kubitect-ha}. */
  public static ClusterSpec ha() {
    return read(HA);
  }

  /** The single-node cluster, {@code single-node}. */
  public static ClusterSpec singleNode() {
    return read(SINGLE_NODE);
  }

  /** The multi-host cluster, {@code multi-host}. */
  public static ClusterSpec multiHost() {
    return read(MULTI_HOST);
  }

  /** The YAML text of one of this class's locations, e.g. {@code yaml(SpecFixtures.HA)}. */
  public static String yaml(String location) {
    String resource = resourceName(location);
    try (InputStream in = SpecFixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + location + " on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fixture " + location, e);
    }
  }

  private static ClusterSpec read(String location) {
    return KubitectYaml.read(yaml(location), location);
  }

  private static String resourceName(String location) {
    if (!location.equals(HA) && !location.equals(SINGLE_NODE) && !location.equals(MULTI_HOST)) {
      throw new IllegalArgumentException(
          "not a fixture of SpecFixtures: "
              + location
              + " (HA, SINGLE_NODE or MULTI_HOST; read your own files with KubitectYaml)");
    }
    return location.substring("classpath:".length());
  }
}
