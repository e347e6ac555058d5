package io.kubitect.core;

import io.kubitect.model.ClusterSpec;
import java.util.Objects;

/**
 * Validates a cluster specification as written: every rule of Kubitect's configuration plus the
 * checks Kubitect lacks (addresses inside the network and distinct from the gateway, network,
 * broadcast and virtual IP; reserved ports and pool names; Linux interface names; node names that
 * are DNS labels; Kubernetes versions that the Kubespray release in use installs; control planes
 * and load balancers that one host failure would take down; and more). All violations are reported
 * at once, each with its path in YAML keys and list indexes.
 *
 * <p>Validation is pure: it reads no file and contacts no host, so a specification validates on a
 * laptop that has none of the hosts. Checks that need the environment are in {@link Preflight}.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /**
   * Validates a specification. Never throws for any specification: a problem in the validator
   * itself is reported as an error violation rather than thrown.
   *
   * @throws NullPointerException when {@code spec} is null (a caller bug)
   */
  public static ValidationReport validate(ClusterSpec spec) {
    Objects.requireNonNull(spec, "spec");
    Violations violations = new Violations();
    SpecContext context;
    try {
      context = new SpecContext(spec);
    } catch (RuntimeException e) {
      internalFailure("", e, violations);
      return violations.report();
    }
    section("hosts", () -> HostRules.check(context, violations), violations);
    section("cluster", () -> ClusterRules.check(context, violations), violations);
    section("cluster.nodes", () -> NodeRules.check(context, violations), violations);
    section("kubernetes", () -> KubernetesRules.check(context, violations), violations);
    return violations.report();
  }

  /** Validates without the safety net, so tests see a validator failure as the exception. */
  static ValidationReport validateUnguarded(ClusterSpec spec) {
    Violations violations = new Violations();
    SpecContext context = new SpecContext(spec);
    HostRules.check(context, violations);
    ClusterRules.check(context, violations);
    NodeRules.check(context, violations);
    KubernetesRules.check(context, violations);
    return violations.report();
  }

  private static void section(String path, Runnable rules, Violations violations) {
    try {
      rules.run();
    } catch (RuntimeException e) {
      internalFailure(path, e, violations);
    }
  }

  private static void internalFailure(String path, RuntimeException e, Violations violations) {
    violations.error(
        path,
        "the validator failed on this section ("
            + Violations.escape(e)
            + "); this is a bug in the SDK, please report it with the specification");
  }
}
