package dev.openwif.federation.admin;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.openwif.federation.AdminValidationException;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an uploaded JWKS (RFC 7517 §5): it parses, holds at least one key, and every key is a
 * public signing key usable by the exchange: asymmetric ({@code RSA}, {@code EC}, {@code OKP};
 * symmetric {@code oct} keys are refused), with no private member ({@code d}, {@code p}, {@code q},
 * {@code dp}, {@code dq}, {@code qi}, {@code oth}, {@code k}; RFC 7518 §6), {@code use} absent or
 * {@code sig}, and a unique {@code kid} (subject tokens pick their key by {@code kid} alone, so a
 * key without one could never be used). Private material is refused rather than stripped: whoever
 * uploaded it has leaked it. Stateless.
 */
public final class JwksValidator {
  static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
  private static final String PARAM = "verification.jwks";

  private JwksValidator() {}

  /** Validates the JWKS JSON text; returns the parsed set. */
  public static JWKSet check(String jwksJson) {
    Map<String, Object> raw;
    try {
      raw = JSONObjectUtils.parse(jwksJson);
    } catch (ParseException e) {
      throw new AdminValidationException(PARAM, "verification.jwks is not a JSON object.");
    }
    List<Object> keys;
    try {
      keys = JSONObjectUtils.getJSONArray(raw, "keys");
    } catch (ParseException e) {
      throw new AdminValidationException(PARAM, "verification.jwks.keys must be an array.");
    }
    if (keys == null || keys.isEmpty()) {
      throw new AdminValidationException(
          PARAM, "verification.jwks must hold at least one key in \"keys\".");
    }
    if (keys.size() > 100) {
      throw new AdminValidationException(PARAM, "verification.jwks holds more than 100 keys.");
    }
    Set<String> kids = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      checkKey(i, keys.get(i), kids);
    }
    try {
      return JWKSet.parse(raw);
    } catch (ParseException e) {
      throw new AdminValidationException(
          PARAM, "verification.jwks is not a valid JWK set: " + e.getMessage());
    }
  }

  /** The smallest RSA modulus accepted, as at exchange time. */
  static final int MIN_RSA_BITS = 2048;

  private static void checkKey(int index, Object value, Set<String> kids) {
    String where = "verification.jwks.keys[" + index + "]";
    if (!(value instanceof Map<?, ?> member)) {
      throw new AdminValidationException(PARAM, where + " is not a JSON object.");
    }
    for (String name : PRIVATE_MEMBERS) {
      if (member.containsKey(name)) {
        throw new AdminValidationException(
            PARAM,
            where + " contains private key material (\"" + name + "\"); upload public keys only.");
      }
    }
    JWK jwk;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> json = (Map<String, Object>) member;
      jwk = JWK.parse(json);
    } catch (ParseException e) {
      throw new AdminValidationException(PARAM, where + " is not a valid JWK: " + e.getMessage());
    }
    if (KeyType.OCT.equals(jwk.getKeyType())) {
      throw new AdminValidationException(
          PARAM, where + " is a symmetric (oct) key; only public keys are accepted.");
    }
    if (jwk instanceof com.nimbusds.jose.jwk.RSAKey rsa && rsa.size() < MIN_RSA_BITS) {
      throw new AdminValidationException(
          PARAM,
          where
              + " is a "
              + rsa.size()
              + "-bit RSA key; RSA keys must be at least "
              + MIN_RSA_BITS
              + " bits.");
    }
    if (jwk.isPrivate()) {
      throw new AdminValidationException(
          PARAM, where + " contains private key material; upload public keys only.");
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new AdminValidationException(
          PARAM, where + " has use \"" + jwk.getKeyUse().identifier() + "\"; it must be \"sig\".");
    }
    if (jwk.getKeyID() == null || jwk.getKeyID().isEmpty()) {
      throw new AdminValidationException(
          PARAM, where + " has no \"kid\"; subject tokens select keys by kid.");
    }
    if (!kids.add(jwk.getKeyID())) {
      throw new AdminValidationException(PARAM, where + " repeats kid \"" + jwk.getKeyID() + "\".");
    }
  }
}
