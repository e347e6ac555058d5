package io.kubitect.core.spi;

import io.kubitect.model.DnsMode;
import io.kubitect.model.NetworkPlugin;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kubernetes to install, resolved from {@code kubernetes} and {@code addons.kubespray}.
 *
 * @param version the Kubernetes version, e.g. {@code v1.33.4}
 * @param networkPlugin the CNI plugin
 * @param dnsMode the cluster DNS
 * @param autoRenewCertificates whether control-plane certificates renew automatically
 * @param kubesprayVersion the Kubespray release tag, e.g. {@code v2.29.0}
 * @param kubesprayUrl where Kubespray comes from: a Git repository URL or a local directory
 * @param kubesprayAddons {@code addons.kubespray} passed through as written, in specification order
 *     (values may be nested maps and lists); which keys an installer honours is its business
 */
public record KubernetesSettings(
    String version,
    NetworkPlugin networkPlugin,
    DnsMode dnsMode,
    boolean autoRenewCertificates,
    String kubesprayVersion,
    String kubesprayUrl,
    Map<String, Object> kubesprayAddons) {

  /** Copies the addon map, keeping its order. */
  public KubernetesSettings {
    kubesprayAddons = Collections.unmodifiableMap(new LinkedHashMap<>(kubesprayAddons));
  }
}
