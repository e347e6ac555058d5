package io.kubitect.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kubitect YAML document could not be read: missing or empty file, malformed YAML, unknown keys
 * or values of the wrong type. Names the source and, for each problem, the path in the document
 * (YAML keys and list indexes, e.g. {@code cluster.nodes.master.instances[1].cpu}), the line and
 * column, and what is wrong.
 *
 * <p>A document with several structural problems (unknown keys, values of the wrong type, duplicate
 * keys) is refused with all of them at once, at most {@link #MAX_PROBLEMS}: {@link #problems()}
 * lists them in document order and the message has one line per problem, {@code source:line:column:
 * path: problem}. {@link #path()}, {@link #line()}, {@link #column()} and {@link #problem()}
 * describe the first one. A problem that stops the YAML parser (malformed YAML, an alias, a limit
 * exceeded) ends the list.
 */
public final class SpecFormatException extends KubitectException {
  private static final long serialVersionUID = 2L;

  /** The most problems one exception lists; further ones are counted, not listed. */
  public static final int MAX_PROBLEMS = 100;

  /** Paths longer than this are shortened in the message (not in {@link Problem#path()}). */
  private static final int MAX_PATH_IN_MESSAGE = 240;

  /**
   * One problem of a document.
   *
   * @param path path of the offending value; empty when the problem concerns the whole document
   * @param line 1-based line of the problem, or 0 when unknown
   * @param column 1-based column of the problem, or 0 when unknown
   * @param problem what is wrong, without the location
   */
  public record Problem(String path, int line, int column, String problem) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Keeps the problem on one line: the parser's own text may quote a line break. */
    public Problem {
      problem = oneLine(problem);
    }
  }

  private final String source;
  private final List<Problem> problems;
  private final boolean truncated;

  SpecFormatException(String source, String path, int line, int column, String problem) {
    this(source, List.of(new Problem(path, line, column, problem)), false);
  }

  private SpecFormatException(String source, List<Problem> problems, boolean truncated) {
    super(format(source, problems, truncated));
    this.source = source;
    this.problems = List.copyOf(problems);
    this.truncated = truncated;
  }

  /**
   * One exception for several problems of {@code source}, in the order given; at most {@link
   * #MAX_PROBLEMS} are kept.
   *
   * @throws IllegalArgumentException when {@code problems} is empty
   */
  static SpecFormatException of(String source, List<SpecFormatException> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems");
    }
    if (problems.size() == 1) {
      return problems.get(0);
    }
    List<Problem> all = new ArrayList<>();
    boolean truncated = false;
    for (SpecFormatException e : problems) {
      truncated |= e.truncated;
      all.addAll(e.problems);
    }
    if (all.size() > MAX_PROBLEMS) {
      all = all.subList(0, MAX_PROBLEMS);
      truncated = true;
    }
    return new SpecFormatException(source, all, truncated);
  }

  private static String format(String source, List<Problem> problems, boolean truncated) {
    StringBuilder text = new StringBuilder();
    for (Problem p : problems) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(line(source, p));
    }
    if (truncated) {
      text.append('\n')
          .append(oneLine(source))
          .append(": further problems are not listed; at most ")
          .append(MAX_PROBLEMS)
          .append(" are");
    }
    return text.toString();
  }

  private static String line(String source, Problem p) {
    StringBuilder text = new StringBuilder(oneLine(source));
    if (p.line() > 0) {
      text.append(':').append(p.line()).append(':').append(p.column());
    }
    text.append(": ");
    if (!p.path().isEmpty()) {
      text.append(oneLine(shorten(p.path()))).append(": ");
    }
    return text.append(oneLine(p.problem())).toString();
  }

  /** A path of at most {@link #MAX_PATH_IN_MESSAGE} characters: its start and end. */
  private static String shorten(String path) {
    if (path.length() <= MAX_PATH_IN_MESSAGE) {
      return path;
    }
    int half = (MAX_PATH_IN_MESSAGE - 3) / 2;
    return path.substring(0, half) + "..." + path.substring(path.length() - half);
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

  /**
   * Every problem found, in document order, at most {@link #MAX_PROBLEMS}; never empty. The message
   * has one line per problem.
   */
  public List<Problem> problems() {
    return problems;
  }

  /** Whether the document has more problems than {@link #problems()} lists. */
  public boolean hasUnlistedProblems() {
    return truncated;
  }

  /** Path of the (first) offending value; empty when the problem concerns the whole document. */
  public String path() {
    return problems.get(0).path();
  }

  /** 1-based line of the (first) problem, or 0 when unknown. */
  public int line() {
    return problems.get(0).line();
  }

  /** 1-based column of the (first) problem, or 0 when unknown. */
  public int column() {
    return problems.get(0).column();
  }

  /** What is wrong (the first problem), without the location. */
  public String problem() {
    return problems.get(0).problem();
  }
}
