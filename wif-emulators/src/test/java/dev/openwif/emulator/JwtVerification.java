package dev.openwif.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.Map;

/**
 * Verifies a token the way a relying party does: discovery document, then JWKS, then RS256
 * signature.
 */
public final class JwtVerification {
  private JwtVerification() {}

  /**
   * Parses {@code token}, fetches the keys through {@code issuerBaseUrl}'s discovery, and checks
   * the signature.
   */
  public static SignedJWT verifiedThroughDiscovery(String issuerBaseUrl, String token) {
    try {
      HttpResponse<String> discovery =
          TestHttp.get(issuerBaseUrl + "/.well-known/openid-configuration");
      assertThat(discovery.statusCode()).isEqualTo(200);
      Map<String, Object> document = JSONObjectUtils.parse(discovery.body());
      HttpResponse<String> jwks = TestHttp.get((String) document.get("jwks_uri"));
      assertThat(jwks.statusCode()).isEqualTo(200);
      SignedJWT jwt = SignedJWT.parse(token);
      assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
      RSAKey key = (RSAKey) JWKSet.parse(jwks.body()).getKeyByKeyId(jwt.getHeader().getKeyID());
      assertThat(key).as("a JWKS key with the token's kid").isNotNull();
      assertThat(key.isPrivate()).isFalse();
      assertThat(jwt.verify(new RSASSAVerifier(key))).as("signature verifies").isTrue();
      return jwt;
    } catch (ParseException | JOSEException e) {
      throw new AssertionError("token or JWKS did not parse: " + e.getMessage(), e);
    }
  }

  /** The payload exactly as serialized, to check JSON shapes such as arrays. */
  public static Map<String, Object> rawPayload(SignedJWT jwt) {
    return jwt.getPayload().toJSONObject();
  }
}
