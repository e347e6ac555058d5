package io.kubitect.core.ssh;

import java.security.PublicKey;
import java.util.List;
import java.util.stream.Collectors;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.jspecify.annotations.Nullable;

/**
 * Accepts exactly the keys {@link HostKeys} lists for the target, nothing else: no trust on first
 * use. sshj turns a refusal into a generic transport error, so the verifier remembers why it
 * refused and the connection reports that instead.
 */
final class KnownHostsVerifier implements HostKeyVerifier {
  private final HostKeys keys;
  private volatile @Nullable String refusal;
  private volatile @Nullable String expectedFingerprints;
  private volatile @Nullable String actualFingerprint;

  KnownHostsVerifier(HostKeys keys) {
    this.keys = keys;
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    HostKeys.Entry entry = keys.lookup(hostname, port);
    String actual = HostKeys.fingerprint(blob);
    if (entry.revoked().stream().anyMatch(k -> k.matches(blob))) {
      refusal = "its host key " + actual + " is marked @revoked in " + keys.source();
      return false;
    }
    if (entry.accepted().stream().anyMatch(k -> k.matches(blob))) {
      return true;
    }
    if (entry.accepted().isEmpty()) {
      refusal =
          "no host key for it in "
              + keys.source()
              + " (it offered "
              + actual
              + "); keys are never accepted on first use";
      return false;
    }
    expectedFingerprints =
        entry.accepted().stream()
            .map(HostKeys.Key::fingerprint)
            .collect(Collectors.joining(" or "));
    actualFingerprint = actual;
    return false;
  }

  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    return keys.lookup(hostname, port).accepted().stream()
        .map(HostKeys.Key::type)
        .distinct()
        .toList();
  }

  /** Why the last key was refused because no entry or a revoked one, if that happened. */
  @Nullable String refusal() {
    return refusal;
  }

  /** The fingerprints expected when a known key did not match, if that happened. */
  @Nullable String expectedFingerprints() {
    return expectedFingerprints;
  }

  /** The fingerprint offered when a known key did not match, if that happened. */
  @Nullable String actualFingerprint() {
    return actualFingerprint;
  }
}
