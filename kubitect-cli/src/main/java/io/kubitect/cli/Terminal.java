package io.kubitect.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether a person is at the keyboard: decides between prompts and live progress or plain lines.
 */
final class Terminal {
  private Terminal() {}

  @SuppressWarnings("SystemConsoleNull") // JDK 17-21: null means not a terminal; 22+ is asked below
  static boolean isInteractive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // JDK 22 and newer return a console even when redirected and say so here.
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
