package dev.openwif.server.gateway;

/**
 * An {@link UpstreamCredential} has no valid token and could not get one: the upstream's token
 * endpoint refused the exchange, could not be reached, or the platform gave no identity token. Its
 * message is one line a client may be shown (it names the cause, never a token).
 */
public final class UpstreamCredentialException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param reason one line a client may be shown: the cause, never a token or a secret
   */
  public UpstreamCredentialException(String reason) {
    super(reason);
    this.reason = reason;
  }

  /** The cause, as a client may be shown it. */
  public String reason() {
    return reason;
  }
}
