package dev.openwif.cli.demo;

/**
 * A demo step did not do what the guide says; the message is safe to print (it never holds a
 * token).
 */
final class DemoFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DemoFailure(String message) {
    super(message);
  }

  DemoFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
