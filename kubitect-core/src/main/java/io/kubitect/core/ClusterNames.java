package io.kubitect.core;

import static io.kubitect.core.Violations.quote;

import io.kubitect.model.KubitectException;
import java.util.Locale;
import java.util.Optional;

/**
 * The rule for cluster names, shared by the validator ({@code cluster.name}) and by callers that
 * take a name from elsewhere (a command line) before they use it as a directory under the state
 * directory.
 *
 * <p>A valid name is a lowercase DNS label, {@code [a-z0-9]([a-z0-9-]*[a-z0-9])?}, of at most
 * {@link #MAX_LENGTH} (54) characters (so that {@code <name>-master-<id>} still fits in 63), and
 * does not start with {@code local-} (reserved for clusters created with {@code --local}). Such a
 * name is one safe path segment: never empty, {@code .} or {@code ..}, without {@code /},
 * whitespace or control characters, and not starting with {@code -} or {@code .}.
 */
public final class ClusterNames {
  /** The longest name that leaves room for {@code -master-} and a one-character id. */
  public static final int MAX_LENGTH = Syntax.DNS_LABEL_MAX - "-master-".length() - 1;

  /** Prefix Kubitect reserves for clusters created with {@code --local}. */
  static final String LOCAL_PREFIX = "local-";

  private ClusterNames() {}

  /**
   * Why {@code name} is not a valid cluster name, or empty when it is. The reason is one line; it
   * starts with the quoted name (control characters escaped) except for "is empty".
   */
  public static Optional<String> problem(String name) {
    if (name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.startsWith(LOCAL_PREFIX)) {
      return Optional.of(
          quote(name)
              + " starts with 'local-', which is reserved for clusters created with --local;"
              + " choose another name");
    }
    if (!Syntax.isDnsLabelText(name)) {
      String lower = name.toLowerCase(Locale.ROOT);
      String hint =
          Syntax.isDnsLabelText(lower)
              ? "; Kubernetes node names must be lowercase, e.g. " + quote(lower)
              : "";
      return Optional.of(
          quote(name)
              + " cannot start node names such as '<name>-master-1', which must be DNS labels:"
              + " use lowercase letters, digits and '-', starting and ending with a letter or"
              + " digit"
              + hint);
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of(
          quote(name)
              + " is "
              + name.length()
              + " characters long; node names '<name>-master-<id>' must fit in a 63-character"
              + " DNS label, so the name may have at most "
              + MAX_LENGTH
              + " characters");
    }
    return Optional.empty();
  }

  /** Whether {@code name} is a valid cluster name. */
  public static boolean isValid(String name) {
    return problem(name).isEmpty();
  }

  /**
   * Returns {@code name} when it is a valid cluster name: call it on every name that comes from
   * outside a specification (a command line, an API argument) before it becomes a directory.
   *
   * @throws KubitectException when it is not, with the reason on one line
   */
  public static String requireValid(String name) {
    Optional<String> problem = problem(name);
    if (problem.isPresent()) {
      throw new KubitectException("invalid cluster name: " + problem.get());
    }
    return name;
  }
}
