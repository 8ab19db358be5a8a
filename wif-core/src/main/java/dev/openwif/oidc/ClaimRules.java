package dev.openwif.oidc;

import dev.openwif.audit.ReasonCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The registered-claim rules of RFC 7519 §4.1 as SECURITY.md "Claims" tightens them: {@code iss}
 * equal byte for byte, {@code aud} a string or an array of strings containing the audience, {@code
 * exp} and {@code iat} required NumericDates (null, strings and booleans refused), {@code nbf}
 * honoured, leeway applied, {@code iat} not in the future and {@code exp - iat} capped; the other
 * registered claims of RFC 7519 §4.1 and OpenID Connect Core §5.1 that rules match on are typed:
 * {@code sub}, {@code jti}, {@code azp} and {@code email} strings, {@code email_verified} a
 * boolean. Stateless; thread-safe.
 */
final class ClaimRules {
  /** 9999-12-31T23:59:59Z: later NumericDates are nonsense and refused rather than overflowed. */
  private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

  private ClaimRules() {}

  /** The checked {@code iat} and {@code exp}. */
  record Times(Instant issuedAt, Instant expiresAt) {}

  /** Registered string claims: present means a JSON string, never an array holding one. */
  private static final List<String> STRING_CLAIMS = List.of("sub", "jti", "azp", "email");

  /** Registered boolean claims: present means a JSON boolean, never the string "true". */
  private static final List<String> BOOLEAN_CLAIMS =
      List.of("email_verified", "phone_number_verified");

  /**
   * Refuses a token whose registered claims have the wrong JSON type. An array-valued {@code sub}
   * would otherwise satisfy a rule matching {@code sub} through the any-element rule that custom
   * claims keep. JSON null counts as a wrong type: a registered claim is either absent or typed.
   */
  static void checkRegisteredTypes(Map<String, Object> claims) {
    for (String name : STRING_CLAIMS) {
      if (claims.containsKey(name) && !(claims.get(name) instanceof String)) {
        throw reject(
            ReasonCode.CLAIM_TYPE_INVALID,
            name + " is " + describe(claims.get(name)) + ", it must be a string");
      }
    }
    for (String name : BOOLEAN_CLAIMS) {
      if (claims.containsKey(name) && !(claims.get(name) instanceof Boolean)) {
        throw reject(
            ReasonCode.CLAIM_TYPE_INVALID,
            name + " is " + describe(claims.get(name)) + ", it must be a boolean");
      }
    }
  }

  private static String describe(@Nullable Object value) {
    if (value == null || StrictJson.isNull(value)) {
      return "null";
    }
    if (value instanceof Long || value instanceof BigDecimal) {
      return "a number";
    }
    return "a " + jsonType(value);
  }

  static void checkIssuer(Map<String, Object> claims, String expected) {
    Object iss = claims.get("iss");
    if (!(iss instanceof String actual)) {
      throw reject(
          ReasonCode.ISSUER_MISMATCH,
          iss == null
              ? "iss is missing, provider expects " + expected
              : "iss is not a string, provider expects " + expected);
    }
    if (!actual.equals(expected)) {
      throw reject(
          ReasonCode.ISSUER_MISMATCH,
          "iss was " + HeaderRules.printable(actual) + ", provider expects " + expected);
    }
  }

  static void checkAudience(Map<String, Object> claims, String expected) {
    Object aud = claims.get("aud");
    List<String> values = new ArrayList<>();
    if (aud instanceof String s) {
      values.add(s);
    } else if (aud instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof String s)) {
          throw reject(
              ReasonCode.AUDIENCE_MISMATCH,
              "aud is an array with a non-string element, provider expects " + expected);
        }
        values.add(s);
      }
    } else {
      throw reject(
          ReasonCode.AUDIENCE_MISMATCH,
          aud == null
              ? "aud is missing, provider expects " + expected
              : "aud is neither a string nor an array of strings, provider expects " + expected);
    }
    if (!values.contains(expected)) {
      List<String> shown = values.stream().limit(5).map(HeaderRules::printable).toList();
      throw reject(
          ReasonCode.AUDIENCE_MISMATCH,
          "aud was "
              + shown
              + (values.size() > 5 ? " (and more)" : "")
              + ", provider expects "
              + expected);
    }
  }

  static Times checkTimes(
      Map<String, Object> claims, Instant now, Duration leeway, Duration maxLifetime) {
    Instant exp = numericDate(claims, "exp", ReasonCode.EXP_MISSING, ReasonCode.EXP_INVALID);
    Instant iat = numericDate(claims, "iat", ReasonCode.IAT_MISSING, ReasonCode.IAT_INVALID);
    if (!now.isBefore(exp.plus(leeway))) {
      throw reject(
          ReasonCode.EXPIRED,
          "exp " + exp + " is past (now " + now + ", leeway " + leeway.toSeconds() + " s)");
    }
    if (iat.isAfter(now.plus(leeway))) {
      throw reject(
          ReasonCode.IAT_IN_FUTURE,
          "iat "
              + iat
              + " is in the future (now "
              + now
              + ", leeway "
              + leeway.toSeconds()
              + " s)");
    }
    if (claims.containsKey("nbf")) {
      Instant nbf = numericDate(claims, "nbf", ReasonCode.NBF_INVALID, ReasonCode.NBF_INVALID);
      if (nbf.isAfter(now.plus(leeway))) {
        throw reject(
            ReasonCode.NOT_YET_VALID,
            "nbf "
                + nbf
                + " is in the future (now "
                + now
                + ", leeway "
                + leeway.toSeconds()
                + " s)");
      }
    }
    if (!exp.isAfter(iat)) {
      throw reject(ReasonCode.EXP_INVALID, "exp " + exp + " is not after iat " + iat);
    }
    Duration lifetime = Duration.between(iat, exp);
    if (lifetime.compareTo(maxLifetime) > 0) {
      throw reject(
          ReasonCode.LIFETIME_TOO_LONG,
          "exp - iat is "
              + lifetime.toSeconds()
              + " s, the limit is "
              + maxLifetime.toSeconds()
              + " s");
    }
    return new Times(iat, exp);
  }

  /** A NumericDate (RFC 7519 §2): a JSON number of seconds, fractions truncated toward the past. */
  private static Instant numericDate(
      Map<String, Object> claims, String name, ReasonCode missing, ReasonCode invalid) {
    if (!claims.containsKey(name)) {
      throw reject(missing, name + " is missing");
    }
    Object value = claims.get(name);
    long seconds;
    if (value instanceof Long l) {
      seconds = l;
    } else if (value instanceof BigDecimal d) {
      if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(MAX_EPOCH_SECOND)) > 0) {
        throw reject(invalid, name + " is out of range");
      }
      seconds = d.longValue();
    } else {
      throw reject(invalid, name + " is " + describe(value) + ", not a number");
    }
    if (seconds < 0 || seconds > MAX_EPOCH_SECOND) {
      throw reject(invalid, name + " is out of range");
    }
    return Instant.ofEpochSecond(seconds);
  }

  private static String jsonType(Object value) {
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof List<?>) {
      return "array";
    }
    return "object";
  }

  private static TokenRejectedException reject(ReasonCode reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
