package dev.openwif.server.adversarial;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Captures everything the server could print while it runs: every SLF4J/Logback event on the root
 * logger (message, arguments and stack trace), every {@code java.util.logging} record (Helidon logs
 * through JUL), and whatever is written to {@code System.out} and {@code System.err} (still passed
 * through). {@link #leaks(Collection)} then says which secrets appear in it. Thread-safe; one
 * capture at a time per JVM.
 */
public final class LogCapture implements AutoCloseable {
  // Appended to by every thread that logs while reading is going on: StringBuffer's locking is
  // wanted.
  @SuppressWarnings("JdkObsolete")
  private final StringBuffer captured = new StringBuffer();

  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          StringBuilder line =
              new StringBuilder(event.getLoggerName())
                  .append(' ')
                  .append(event.getFormattedMessage());
          if (event.getArgumentArray() != null) {
            for (Object argument : event.getArgumentArray()) {
              line.append(' ').append(argument);
            }
          }
          if (event.getThrowableProxy() != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
          }
          captured.append(line).append('\n');
        }
      };
  private final Handler julHandler =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          captured.append(formatter.format(record)).append('\n');
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;

  private LogCapture() {}

  /** Starts capturing. */
  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture.appender.setContext(context);
    capture.appender.setName("adversarial-capture");
    capture.appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture.appender);
    java.util.logging.Logger.getLogger("").addHandler(capture.julHandler);
    System.setOut(capture.tee(capture.originalOut));
    System.setErr(capture.tee(capture.originalErr));
    return capture;
  }

  private PrintStream tee(PrintStream original) {
    return new PrintStream(
        new OutputStream() {
          private final ByteArrayOutputStream line = new ByteArrayOutputStream();

          @Override
          public synchronized void write(int b) {
            original.write(b);
            line.write(b);
            if (b == '\n') {
              captured.append(line.toString(StandardCharsets.UTF_8));
              line.reset();
            }
          }

          @Override
          public synchronized void flush() {
            original.flush();
            captured.append(line.toString(StandardCharsets.UTF_8));
            line.reset();
          }
        },
        true,
        StandardCharsets.UTF_8);
  }

  /** Everything captured so far. */
  public String text() {
    return captured.toString();
  }

  /**
   * The secrets (tokens, keys) that appear in the captured output, each shown by its first 12
   * characters only. A JWT is also looked for by its signature segment alone (a log that prints
   * only the signature still lets nobody forge, but it does let anyone replay a token the log was
   * cut from).
   */
  public List<String> leaks(Collection<String> secrets) {
    String text = text();
    List<String> leaks = new ArrayList<>();
    for (String secret : secrets) {
      if (secret.length() < 16) {
        continue;
      }
      boolean found = text.contains(secret);
      int lastDot = secret.lastIndexOf('.');
      if (!found && lastDot > 0 && secret.length() - lastDot > 20) {
        found = text.contains(secret.substring(lastDot + 1));
      }
      if (found) {
        leaks.add(secret.substring(0, 12) + "...");
      }
    }
    return leaks;
  }

  @Override
  public void close() {
    System.setOut(originalOut);
    System.setErr(originalErr);
    java.util.logging.Logger.getLogger("").removeHandler(julHandler);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }
}
