package io.kubitect.core.ssh;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting: every value becomes one word that the shell never interprets. */
final class Shell {
  private Shell() {}

  /**
   * Quotes one word: {@code it's} becomes {@code 'it'\''s'}. Inside single quotes nothing is
   * special, so no value can start a command, expand a variable or glob.
   *
   * @throws IllegalArgumentException when the value holds a NUL, which no shell word can carry
   */
  static String quote(String word) {
    if (word.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a shell argument cannot contain NUL");
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Quotes every word and joins them with spaces. */
  static String join(List<String> words) {
    return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }
}
