package dev.openwif.cli.admin;

/**
 * The admin API could not be asked: the connection failed, timed out, the TLS handshake failed, or
 * what answered was not an OpenWIF server (a success without a JSON body). The message names the
 * server and the cause in one line; the admin key never appears in it.
 */
public final class AdminApiUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AdminApiUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }

  public AdminApiUnreachableException(String message) {
    super(message);
  }
}
