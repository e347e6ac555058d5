package io.kubitect.libvirt.internal;

/** Scalars for the YAML documents the renderers write: JSON-style double-quoted strings. */
final class Yaml {
  private Yaml() {}

  /** A double-quoted YAML scalar (the JSON subset of YAML), safe for any string. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * A literal block scalar ({@code |}) indented by {@code indent} spaces, ending with a newline.
   */
  static String block(String text, int indent) {
    String pad = " ".repeat(indent);
    StringBuilder out = new StringBuilder("|\n");
    for (String line : text.strip().split("\n", -1)) {
      out.append(pad).append(line).append('\n');
    }
    return out.toString();
  }
}
