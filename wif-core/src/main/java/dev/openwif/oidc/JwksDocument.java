package dev.openwif.oidc;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a JWK Set (RFC 7517 §5) into keys by {@code kid}, strictly: no duplicate JSON members, no
 * private key material (a published private key means anyone can sign), no two keys with one {@code
 * kid} (selection by kid must be unambiguous). Keys without a {@code kid} can never be selected and
 * are left out; keys of unknown types are skipped by Nimbus. Stateless; thread-safe.
 */
final class JwksDocument {
  private JwksDocument() {}

  /**
   * @throws IllegalArgumentException naming what is wrong with the document
   */
  static Map<String, JWK> keysByKid(String json) {
    try {
      StrictJson.parseObject(json);
    } catch (StrictJson.DuplicateMemberException e) {
      throw new IllegalArgumentException("the JWKS names member \"" + e.member() + "\" twice");
    } catch (StrictJson.MalformedJsonException e) {
      throw new IllegalArgumentException("the JWKS is not a JSON object: " + e.getMessage());
    }
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new IllegalArgumentException("the JWKS is not a valid JWK Set: " + e.getMessage());
    }
    Map<String, JWK> keys = new LinkedHashMap<>();
    for (JWK key : set.getKeys()) {
      if (key.isPrivate()) {
        throw new IllegalArgumentException(
            "the JWKS holds private key material (kid "
                + key.getKeyID()
                + "); only public keys are accepted");
      }
      if (key.getKeyID() == null || key.getKeyID().isEmpty()) {
        continue;
      }
      if (keys.putIfAbsent(key.getKeyID(), key) != null) {
        throw new IllegalArgumentException("the JWKS has two keys with kid " + key.getKeyID());
      }
    }
    return Map.copyOf(keys);
  }
}
