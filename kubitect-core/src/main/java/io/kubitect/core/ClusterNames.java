package io.kubitect.core;

import io.kubitect.model.KubitectException;

/**
 * The rule for cluster names that come from outside a specification (a command line, an API
 * argument): the same as {@code cluster.name}'s, so a name is always one plain directory under the
 * state directory and can never reach outside it ({@code ..}, {@code /}, empty and {@code .} are
 * not names).
 */
public final class ClusterNames {
  private ClusterNames() {}

  /**
   * Returns {@code name} when it can name a cluster.
   *
   * @throws KubitectException saying why it cannot
   */
  public static String requireValid(String name) {
    if (name.isEmpty()) {
      throw new KubitectException("invalid cluster name: it is empty");
    }
    if (!Syntax.isDnsLabelText(name) || name.length() > ClusterRules.NAME_MAX) {
      throw new KubitectException(
          "invalid cluster name "
              + printable(name)
              + ": use at most "
              + ClusterRules.NAME_MAX
              + " lowercase letters, digits and '-', starting and ending with a letter or digit");
    }
    return name;
  }

  /** The name quoted, control characters escaped and cut short, for an error message. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder("'");
    text.codePoints()
        .limit(80)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append(text.length() > 80 ? "...'" : "'").toString();
  }
}
