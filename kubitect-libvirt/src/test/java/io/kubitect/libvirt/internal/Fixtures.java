package io.kubitect.libvirt.internal;

import io.kubitect.core.SpecValidator;
import io.kubitect.core.ValidationReport;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Specifications and fixed keys shared by the tests. */
final class Fixtures {
  static final Path HOME = Path.of("/home/tester");

  /** Fixed keys so golden files stay stable; not real keys. */
  static final String CLUSTER_PUBLIC_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIClusterKeyForGoldenFilesOnly0000000000000 kubitect";

  static final SshKeyPair HOST_KEY =
      new SshKeyPair(
          """
          -----BEGIN OPENSSH PRIVATE KEY-----
          b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
          HostKeyForGoldenFilesOnly
          -----END OPENSSH PRIVATE KEY-----
          """,
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyForGoldenFilesOnly000000000000000 node");

  private Fixtures() {}

  static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ClusterSpec spec(String name) {
    ClusterSpec spec = KubitectYaml.read(resource("specs/" + name), name);
    ValidationReport report = SpecValidator.validate(spec);
    if (report.hasErrors()) {
      throw new IllegalArgumentException(name + " is invalid: " + report);
    }
    return spec;
  }

  static Topology topology(String name) {
    return Topology.of(spec(name));
  }

  /** Credentials with a fresh host key per node (real keys, for tools that parse them). */
  static ClusterCredentials generatedCredentials(Topology topology, Path dir) {
    Map<String, SshKeyPair> hostKeys = new HashMap<>();
    topology.nodes().forEach(n -> hostKeys.put(n.name(), SshKeyPair.generateEd25519(n.name())));
    SshKeyPair cluster = SshKeyPair.generateEd25519("kubitect");
    return new ClusterCredentials(
        dir.resolve("id_ed25519"), cluster.publicKey(), hostKeys, dir.resolve("known_hosts"));
  }

  /** Credentials with the fixed keys above for every node. */
  static ClusterCredentials fixedCredentials(Topology topology) {
    Map<String, SshKeyPair> hostKeys = new HashMap<>();
    topology.nodes().forEach(n -> hostKeys.put(n.name(), HOST_KEY));
    return new ClusterCredentials(
        Path.of("/keys/id_ed25519"), CLUSTER_PUBLIC_KEY, hostKeys, Path.of("/keys/known_hosts"));
  }
}
