package io.kubitect.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Yes/no questions. Unlike Kubitect, a missing terminal is a "no": scripts must say {@code
 * --auto-approve} to destroy or to apply dangerous changes.
 */
final class Prompt {
  private Prompt() {}

  static boolean confirm(PrintWriter out, boolean terminal, String question) {
    if (!terminal) {
      out.println(question + " stdin is not a terminal: rerun with --auto-approve to go ahead.");
      return false;
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (true) {
      out.print(question + " (yes/no) ");
      out.flush();
      String answer;
      try {
        answer = in.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (answer == null) {
        return false;
      }
      switch (answer.trim().toLowerCase(Locale.ROOT)) {
        case "y", "yes" -> {
          return true;
        }
        case "n", "no" -> {
          return false;
        }
        default -> out.println("Please answer yes or no.");
      }
    }
  }
}
