package dev.openwif.token;

/**
 * The names of the private claims in OpenWIF access tokens (besides the registered {@code iss, sub,
 * aud, iat, exp, jti} and RFC 9068's {@code scope} and {@code client_id}). Header {@code typ} is
 * {@code at+jwt} (RFC 9068 §2.1).
 */
final class AccessTokenClaimNames {
  static final String TYP = "at+jwt";
  static final String SCOPE = "scope";
  static final String CLIENT_ID = "client_id";
  static final String PROVIDER = "wif_provider";
  static final String RULE = "wif_rule";
  static final String PROJECT = "wif_project";
  static final String EXTERNAL_SUBJECT = "wif_ext_sub";

  private AccessTokenClaimNames() {}
}
