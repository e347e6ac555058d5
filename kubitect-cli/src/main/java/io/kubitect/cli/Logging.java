package io.kubitect.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The app's logging: slf4j-simple, configured by {@code simplelogger.properties} on the class path;
 * {@code --debug} turns every logger to DEBUG with times, those the file quiets too.
 */
final class Logging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  /**
   * Everything at DEBUG. slf4j-simple reads its settings once, when the first logger is made: this
   * runs after the command line is parsed and before any command (and so any SDK class) runs.
   * System properties win over the file.
   */
  static void debug() {
    Properties file = new Properties();
    try (InputStream in = Logging.class.getResourceAsStream("/simplelogger.properties")) {
      if (in != null) {
        file.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String key : file.stringPropertyNames()) {
      if (key.startsWith(PREFIX + "log.")) {
        System.setProperty(key, "debug");
      }
    }
    System.setProperty(PREFIX + "defaultLogLevel", "debug");
    System.setProperty(PREFIX + "showDateTime", "true");
    System.setProperty(PREFIX + "dateTimeFormat", "HH:mm:ss.SSS");
  }
}
