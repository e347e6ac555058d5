package io.kubitect.core.picture;

import org.jspecify.annotations.Nullable;

/**
 * Writes SVG elements one per line, with integer coordinates only, attributes in a fixed order and
 * every text escaped, so the same picture always gives the same bytes. Callers pass text already
 * fitted with {@link Texts#fit}; this class escapes it.
 */
final class Svg {
  /** The picture's font: monospace, so {@link Texts} can tell what fits. */
  static final String FONT = "DejaVu Sans Mono, Menlo, Consolas, Liberation Mono, monospace";

  private final StringBuilder out = new StringBuilder(16 * 1024);
  private int depth;

  Svg(int width, int height, String title, String description) {
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    emit(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
            + width
            + "\" height=\""
            + height
            + "\" viewBox=\"0 0 "
            + width
            + " "
            + height
            + "\" font-family=\""
            + FONT
            + "\" role=\"img\" aria-labelledby=\"picture-title\">");
    depth++;
    emit("<title id=\"picture-title\">" + Texts.escape(Texts.clean(title)) + "</title>");
    emit("<desc>" + Texts.escape(Texts.clean(description)) + "</desc>");
    rect(0, 0, width, height, 0, "#ffffff", null, 0);
  }

  /** Opens a group with a tooltip (the full, cleaned text, not cut to a box). */
  Svg group(String tooltip) {
    emit("<g>");
    depth++;
    emit("<title>" + Texts.escape(Texts.clean(tooltip)) + "</title>");
    return this;
  }

  Svg end() {
    depth--;
    emit("</g>");
    return this;
  }

  Svg rect(
      int x,
      int y,
      int width,
      int height,
      int radius,
      String fill,
      @Nullable String stroke,
      int strokeWidth) {
    StringBuilder e = new StringBuilder("<rect");
    attr(e, "x", x).attr(e, "y", y).attr(e, "width", width).attr(e, "height", height);
    if (radius > 0) {
      attr(e, "rx", radius);
    }
    attr(e, "fill", fill);
    if (stroke != null) {
      attr(e, "stroke", stroke).attr(e, "stroke-width", strokeWidth);
    }
    emit(e.append("/>").toString());
    return this;
  }

  Svg line(int x1, int y1, int x2, int y2, String stroke, int strokeWidth) {
    StringBuilder e = new StringBuilder("<line");
    attr(e, "x1", x1).attr(e, "y1", y1).attr(e, "x2", x2).attr(e, "y2", y2);
    attr(e, "stroke", stroke).attr(e, "stroke-width", strokeWidth);
    emit(e.append("/>").toString());
    return this;
  }

  /** A closed path through integer points: {@code x0, y0, x1, y1, ...}. */
  Svg polygon(String fill, int... points) {
    StringBuilder e = new StringBuilder("<polygon points=\"");
    for (int i = 0; i < points.length; i += 2) {
      if (i > 0) {
        e.append(' ');
      }
      e.append(points[i]).append(',').append(points[i + 1]);
    }
    e.append('"');
    attr(e, "fill", fill);
    emit(e.append("/>").toString());
    return this;
  }

  /** An open path through integer points, stroked, not filled. */
  Svg polyline(String stroke, int strokeWidth, int... points) {
    StringBuilder e = new StringBuilder("<polyline points=\"");
    for (int i = 0; i < points.length; i += 2) {
      if (i > 0) {
        e.append(' ');
      }
      e.append(points[i]).append(',').append(points[i + 1]);
    }
    e.append('"');
    attr(e, "fill", "none").attr(e, "stroke", stroke).attr(e, "stroke-width", strokeWidth);
    attr(e, "stroke-linecap", "round").attr(e, "stroke-linejoin", "round");
    emit(e.append("/>").toString());
    return this;
  }

  /** One line of text starting at {@code x} with its baseline at {@code y}. */
  Svg text(int x, int y, int size, boolean bold, String colour, String content) {
    StringBuilder e = new StringBuilder("<text");
    attr(e, "x", x).attr(e, "y", y).attr(e, "font-size", size);
    if (bold) {
      attr(e, "font-weight", "bold");
    }
    attr(e, "fill", colour);
    e.append(" xml:space=\"preserve\">")
        .append(Texts.escape(Texts.clean(content)))
        .append("</text>");
    emit(e.toString());
    return this;
  }

  /** The finished document. */
  String finish() {
    depth--;
    emit("</svg>");
    return out.toString();
  }

  private Svg attr(StringBuilder e, String name, int value) {
    e.append(' ').append(name).append("=\"").append(value).append('"');
    return this;
  }

  private Svg attr(StringBuilder e, String name, String value) {
    e.append(' ').append(name).append("=\"").append(Texts.escape(value)).append('"');
    return this;
  }

  private void emit(String element) {
    out.append("  ".repeat(Math.max(0, depth))).append(element).append('\n');
  }
}
