package io.kubitect.model;

/**
 * A Kubitect YAML document could not be read: missing or empty file, malformed YAML, an unknown key
 * or a value of the wrong type. Names the source, the path in the document (YAML keys and list
 * indexes, e.g. {@code cluster.nodes.master.instances[1].cpu}) and the line and column.
 */
public final class SpecFormatException extends KubitectException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String path;
  private final int line;
  private final int column;
  private final String problem;

  SpecFormatException(String source, String path, int line, int column, String problem) {
    super(format(source, path, line, column, problem));
    this.source = source;
    this.path = path;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  private static String format(String source, String path, int line, int column, String problem) {
    StringBuilder text = new StringBuilder(oneLine(source));
    if (line > 0) {
      text.append(':').append(line).append(':').append(column);
    }
    text.append(": ");
    if (!path.isEmpty()) {
      text.append(oneLine(path)).append(": ");
    }
    return text.append(oneLine(problem)).toString();
  }

  /**
   * {@code text} with line breaks and other control characters escaped as in Java source, so a
   * message that quotes a key or value stays on one line.
   */
  static String oneLine(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escaped =
          switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default ->
                c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029
                    ? String.format("\\u%04x", (int) c)
                    : null;
          };
      if (escaped != null && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (escaped != null) {
          out.append(escaped);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /** File name or description of the document that was read. */
  public String source() {
    return source;
  }

  /** Path of the offending value; empty when the problem concerns the whole document. */
  public String path() {
    return path;
  }

  /** 1-based line of the problem, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the problem, or 0 when unknown. */
  public int column() {
    return column;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }
}
