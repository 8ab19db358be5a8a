package dev.openwif.server.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Captures, while open, every log event with its level: SLF4J/Logback events on the root logger and
 * {@code java.util.logging} records (Helidon logs through JUL). Thread-safe; one at a time per JVM.
 */
final class ServerLogs implements AutoCloseable {
  /** One event: level as SLF4J names it, logger, formatted message, whether it had a throwable. */
  record Event(String level, String logger, String message, boolean withThrowable) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          events.add(
              new Event(
                  event.getLevel().toString(),
                  event.getLoggerName(),
                  event.getFormattedMessage(),
                  event.getThrowableProxy() != null));
        }
      };
  private final Handler jul =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          java.util.logging.Level level = record.getLevel();
          String name =
              level.intValue() >= java.util.logging.Level.SEVERE.intValue()
                  ? "ERROR"
                  : level.intValue() >= java.util.logging.Level.WARNING.intValue()
                      ? "WARN"
                      : "DEBUG";
          events.add(
              new Event(
                  name,
                  String.valueOf(record.getLoggerName()),
                  String.valueOf(record.getMessage()),
                  record.getThrown() != null));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private ServerLogs() {}

  static ServerLogs capture() {
    ServerLogs logs = new ServerLogs();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logs.appender.setContext(context);
    logs.appender.setName("gateway-capture");
    logs.appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs.appender);
    java.util.logging.Logger.getLogger("").addHandler(logs.jul);
    return logs;
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  /** Events at WARN or above. */
  List<Event> warnings() {
    return events.stream()
        .filter(e -> e.level().equals(Level.WARN.toString()) || e.level().equals("ERROR"))
        .toList();
  }

  @Override
  public void close() {
    java.util.logging.Logger.getLogger("").removeHandler(jul);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }
}
