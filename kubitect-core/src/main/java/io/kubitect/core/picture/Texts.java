package io.kubitect.core.picture;

/**
 * Text handling for the picture: every string that reaches the SVG is cleaned, fitted to the room
 * it has and XML-escaped here.
 *
 * <p>Widths are estimated, not measured: the picture uses a monospace font, whose advance is at
 * most {@value #ADVANCE_PERCENT}% of the font size in the common monospace fonts (DejaVu Sans Mono,
 * Menlo, Consolas, Courier), and East Asian wide characters and emoji count twice.
 */
final class Texts {
  /** A monospace glyph's advance in percent of the font size, rounded up for safety. */
  static final int ADVANCE_PERCENT = 62;

  /** What stands in for the part of a text that did not fit. */
  static final String ELLIPSIS = "\u2026";

  private static final int REPLACEMENT = 0xFFFD;

  private Texts() {}

  /** How many monospace columns fit in {@code widthPx} at {@code fontSize} (at least one). */
  static int columnsFor(int widthPx, int fontSize) {
    return Math.max(1, widthPx * 100 / (fontSize * ADVANCE_PERCENT));
  }

  /** The width in pixels that {@code text} takes at {@code fontSize}, rounded up. */
  static int widthPx(String text, int fontSize) {
    int columns = columns(text);
    return (columns * fontSize * ADVANCE_PERCENT + 99) / 100;
  }

  /**
   * Replaces what must not reach the picture: characters XML 1.0 does not allow (controls, lone
   * surrogates, U+FFFE, U+FFFF) and the bidirectional controls that would reorder the text a reader
   * sees become U+FFFD; line breaks and tabs become spaces.
   */
  static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              if (cp == '\n' || cp == '\r' || cp == '\t') {
                out.append(' ');
              } else if (allowed(cp)) {
                out.appendCodePoint(cp);
              } else {
                out.appendCodePoint(REPLACEMENT);
              }
            });
    return out.toString();
  }

  private static boolean allowed(int cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      return false;
    }
    if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
      return false; // a lone surrogate: a pair arrives as one supplementary code point
    }
    if (cp == 0xFFFE || cp == 0xFFFF) {
      return false;
    }
    return !(cp >= 0x202A && cp <= 0x202E) && !(cp >= 0x2066 && cp <= 0x2069);
  }

  /**
   * The cleaned text, cut to at most {@code maxColumns} columns; a cut text ends with an ellipsis
   * (within the limit).
   */
  static String fit(String text, int maxColumns) {
    String cleaned = clean(text);
    if (columns(cleaned) <= maxColumns) {
      return cleaned;
    }
    StringBuilder out = new StringBuilder();
    int used = 0;
    int budget = Math.max(0, maxColumns - 1);
    int i = 0;
    while (i < cleaned.length()) {
      int cp = cleaned.codePointAt(i);
      int width = columns(cp);
      if (used + width > budget) {
        break;
      }
      out.appendCodePoint(cp);
      used += width;
      i += Character.charCount(cp);
    }
    return out.append(ELLIPSIS).toString();
  }

  /** The cleaned text, cut to {@code maxColumns} columns, escaped for XML text and attributes. */
  static String fitted(String text, int maxColumns) {
    return escape(fit(text, maxColumns));
  }

  /** Escapes the five XML special characters; the text must already be {@link #clean}. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** How many monospace columns the text takes. */
  static int columns(String text) {
    return text.codePoints().map(Texts::columns).sum();
  }

  private static int columns(int cp) {
    int type = Character.getType(cp);
    if (type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.FORMAT) {
      return 0;
    }
    return wide(cp) ? 2 : 1;
  }

  private static boolean wide(int cp) {
    return (cp >= 0x1100 && cp <= 0x115F)
        || (cp >= 0x2E80 && cp <= 0xA4CF)
        || (cp >= 0xAC00 && cp <= 0xD7A3)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0xFE30 && cp <= 0xFE4F)
        || (cp >= 0xFF00 && cp <= 0xFF60)
        || (cp >= 0xFFE0 && cp <= 0xFFE6)
        || (cp >= 0x1F300 && cp <= 0x1FAFF)
        || (cp >= 0x20000 && cp <= 0x3FFFD);
  }
}
