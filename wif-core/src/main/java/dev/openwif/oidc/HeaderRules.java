package dev.openwif.oidc;

import dev.openwif.audit.ReasonCode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JOSE header rules (RFC 7515 §4.1, RFC 8725 §3.1-3.2): {@code alg} from the allow-list (never
 * {@code none}, never HMAC for subject tokens), {@code kid} required, no key-carrying or
 * key-locating headers ({@code jku}, {@code x5u}, {@code x5c}, {@code jwk}: never fetched nor
 * trusted), no {@code crit} at all (we understand no extension, RFC 7515 §4.1.11), no JWE ({@code
 * enc}) and no nested JWT ({@code cty: JWT}, RFC 7519 §5.2). Stateless; thread-safe.
 */
final class HeaderRules {
  /** The accepted algorithms, RFC 7518 §3.1 and RFC 8037 §3.1. */
  static final Set<String> ALLOWED_ALGS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA");

  private static final List<String> FORBIDDEN = List.of("jku", "x5u", "x5c", "jwk");

  private HeaderRules() {}

  /** The {@code kid} and {@code alg} of a header that passed {@link #check}. */
  record Checked(String kid, String alg) {}

  /** Checks the header; returns its {@code kid} and {@code alg}. */
  static Checked check(Map<String, Object> header) {
    if (header.containsKey("enc")) {
      throw reject(
          ReasonCode.UNSUPPORTED_TOKEN_FORMAT,
          "the header has \"enc\" (JWE); only a signed JWT is accepted");
    }
    Object cty = header.get("cty");
    if (cty instanceof String s && s.toUpperCase(Locale.ROOT).equals("JWT")) {
      throw reject(
          ReasonCode.UNSUPPORTED_TOKEN_FORMAT, "the header has \"cty\": \"JWT\" (a nested JWT)");
    }
    Object alg = header.get("alg");
    if (!(alg instanceof String algName)) {
      throw reject(
          ReasonCode.ALG_NOT_ALLOWED,
          alg == null ? "the header has no \"alg\"" : "the header \"alg\" is not a string");
    }
    if (!ALLOWED_ALGS.contains(algName)) {
      throw reject(
          ReasonCode.ALG_NOT_ALLOWED,
          "alg "
              + printable(algName)
              + " is not allowed; allowed are "
              + String.join(", ", ALLOWED_ALGS.stream().sorted().toList()));
    }
    if (header.containsKey("crit")) {
      throw reject(
          ReasonCode.CRIT_PRESENT, "the header has \"crit\"; no critical extension is supported");
    }
    for (String name : FORBIDDEN) {
      if (header.containsKey(name)) {
        throw reject(
            ReasonCode.FORBIDDEN_HEADER,
            "the header has \"" + name + "\"; keys are only taken from the provider's JWKS");
      }
    }
    Object kid = header.get("kid");
    if (!(kid instanceof String kidValue) || kidValue.isEmpty()) {
      throw reject(
          ReasonCode.KID_MISSING,
          kid == null
              ? "the header has no \"kid\""
              : "the header \"kid\" is not a non-empty string");
    }
    return new Checked(kidValue, algName);
  }

  /** A header value quoted and shortened for a detail sentence. */
  static String printable(String value) {
    String shortened = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return "\"" + shortened.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
  }

  private static TokenRejectedException reject(ReasonCode reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
