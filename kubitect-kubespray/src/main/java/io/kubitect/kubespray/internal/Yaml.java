package io.kubitect.kubespray.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A small, deterministic YAML writer for inventories and variables: block style, two-space
 * indentation, maps in their iteration order, every string double-quoted (so {@code "yes"}, {@code
 * "1.30"} or {@code "on"} stay strings), numbers and booleans plain, {@code null} as an empty value
 * (what Ansible's YAML inventory expects for a host listed in a group), {@link Unsafe} text with
 * Ansible's {@code !unsafe} tag.
 */
public final class Yaml {
  /**
   * Text Ansible must take as data: written {@code !unsafe "..."}, which Ansible reads as text it
   * never templates, so {@code {{ lookup('pipe', ...) }}} in it is not run.
   */
  public record Unsafe(String text) {}

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]*");
  private static final Set<String> RESERVED =
      Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null", "~");

  private Yaml() {}

  /** The document for {@code root}, ending with a newline. */
  public static String write(Map<String, ?> root) {
    StringBuilder out = new StringBuilder("---\n");
    if (root.isEmpty()) {
      return out.append("{}\n").toString();
    }
    map(out, root, 0);
    return out.toString();
  }

  private static void map(StringBuilder out, Map<?, ?> map, int indent) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      pad(out, indent).append(key(String.valueOf(e.getKey()))).append(':');
      value(out, e.getValue(), indent);
    }
  }

  private static void list(StringBuilder out, List<?> list, int indent) {
    for (Object item : list) {
      pad(out, indent).append('-');
      if (item instanceof Map<?, ?> m && !m.isEmpty()) {
        // The first entry goes on the dash line, the others align with it.
        StringBuilder nested = new StringBuilder();
        map(nested, m, indent + 2);
        out.append(' ').append(nested.substring(indent + 2));
      } else if (item instanceof List<?> l && !l.isEmpty()) {
        out.append('\n');
        list(out, l, indent + 2);
      } else {
        value(out, item, indent);
      }
    }
  }

  /** Writes what follows {@code key:} or {@code -}, including the line end. */
  private static void value(StringBuilder out, @Nullable Object value, int indent) {
    if (value == null) {
      out.append('\n');
    } else if (value instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        out.append(" {}\n");
      } else {
        out.append('\n');
        map(out, m, indent + 2);
      }
    } else if (value instanceof List<?> l) {
      if (l.isEmpty()) {
        out.append(" []\n");
      } else {
        out.append('\n');
        list(out, l, indent + 2);
      }
    } else if (value instanceof Unsafe u) {
      out.append(" !unsafe ").append(quote(u.text())).append('\n');
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(' ').append(value).append('\n');
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      out.append(' ').append(Double.isFinite(d) ? n.toString() : quote(n.toString())).append('\n');
    } else {
      out.append(' ').append(quote(value.toString())).append('\n');
    }
  }

  private static StringBuilder pad(StringBuilder out, int indent) {
    return out.append(" ".repeat(indent));
  }

  /** A map key: plain when unambiguous, double-quoted otherwise. */
  static String key(String key) {
    return PLAIN_KEY.matcher(key).matches() && !RESERVED.contains(key.toLowerCase(Locale.ROOT))
        ? key
        : quote(key);
  }

  /** A double-quoted YAML scalar. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
