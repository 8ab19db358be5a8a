package dev.openwif.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format}: how log lines on stderr look. {@link #TEXT} is the jar's {@code
 * logback.xml} pattern (ISO-8601 UTC timestamp, level, logger, request id, message); {@link #JSON}
 * puts a {@link JsonLogEncoder} on the same appender.
 */
enum LogFormat {
  TEXT,
  JSON;

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  static LogFormat parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default ->
          throw new IllegalArgumentException(
              "--log-format must be text or json, was: " + value.strip());
    };
  }

  /**
   * Makes every stderr appender of the root logger use this format from now on. Does nothing for
   * {@link #TEXT} (the configured pattern) or when the backend is not Logback (tests).
   */
  void apply() {
    if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        stream.stop();
        stream.setEncoder(encoder);
        stream.start();
      }
    }
  }
}
