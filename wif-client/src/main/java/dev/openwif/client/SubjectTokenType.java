package dev.openwif.client;

/**
 * The kind of subject token a {@link SubjectTokenProvider} returns, sent as {@code
 * subject_token_type} in the token exchange request (RFC 8693 §2.1, token type identifiers from RFC
 * 8693 §3).
 */
public enum SubjectTokenType {
  /** A JSON Web Token (RFC 7519): {@code urn:ietf:params:oauth:token-type:jwt}. */
  JWT("urn:ietf:params:oauth:token-type:jwt"),
  /** An OpenID Connect ID token: {@code urn:ietf:params:oauth:token-type:id_token}. */
  ID_TOKEN("urn:ietf:params:oauth:token-type:id_token");

  private final String urn;

  SubjectTokenType(String urn) {
    this.urn = urn;
  }

  /** The token type URN sent on the wire. */
  public String urn() {
    return urn;
  }
}
