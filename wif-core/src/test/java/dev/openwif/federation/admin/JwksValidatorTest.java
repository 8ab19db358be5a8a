package dev.openwif.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.openwif.federation.AdminValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JwksValidatorTest {
  static final RSAKey RSA;
  static final ECKey EC;

  static {
    try {
      RSA = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
      EC = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    } catch (JOSEException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static String jwks(Object... keys) {
    return JSONObjectUtils.toJSONString(Map.of("keys", List.of(keys)));
  }

  static Map<String, Object> with(JWK key, String member, Object value) {
    Map<String, Object> json = new LinkedHashMap<>(key.toPublicJWK().toJSONObject());
    if (value == null) {
      json.remove(member);
    } else {
      json.put(member, value);
    }
    return json;
  }

  @Test
  void checkWhenPublicRsaAndEcKeysThenAccepted() throws Exception {
    var set =
        JwksValidator.check(
            jwks(RSA.toPublicJWK().toJSONObject(), EC.toPublicJWK().toJSONObject()));

    assertThat(set.getKeys()).extracting(JWK::getKeyID).containsExactly("rsa-1", "ec-1");
  }

  @Test
  void checkWhenPublicEd25519KeyThenAccepted() {
    // RFC 8037 Appendix A.2: the public Ed25519 key of the example.
    var okp =
        Map.of(
            "kty",
            "OKP",
            "crv",
            "Ed25519",
            "kid",
            "ed-1",
            "x",
            "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");

    assertThat(JwksValidator.check(jwks(okp)).getKeys()).hasSize(1);
  }

  static Stream<Arguments> refused() throws Exception {
    var oct = new OctetSequenceKeyGenerator(256).keyID("hmac").generate();
    return Stream.of(
        Arguments.of(Named.of("not JSON", "{not json"), "not a JSON object"),
        Arguments.of(Named.of("keys missing", "{}"), "at least one key"),
        Arguments.of(Named.of("keys empty", jwks()), "at least one key"),
        Arguments.of(Named.of("keys not an array", "{\"keys\": {}}"), "must be an array"),
        Arguments.of(Named.of("key not an object", jwks("x")), "keys[0] is not a JSON object"),
        Arguments.of(Named.of("private RSA key", jwks(RSA.toJSONObject())), "private key material"),
        Arguments.of(
            Named.of("private EC key", jwks(EC.toJSONObject())), "private key material (\"d\")"),
        Arguments.of(Named.of("stray private member p", jwks(with(EC, "p", "AQAB"))), "(\"p\")"),
        Arguments.of(
            Named.of("stray private member oth", jwks(with(RSA, "oth", List.of()))), "(\"oth\")"),
        Arguments.of(
            Named.of("symmetric oct key", jwks(oct.toJSONObject())),
            "private key material (\"k\")"),
        Arguments.of(Named.of("use enc", jwks(with(RSA, "use", "enc"))), "it must be \"sig\""),
        Arguments.of(Named.of("kid missing", jwks(with(EC, "kid", null))), "no \"kid\""),
        Arguments.of(
            Named.of(
                "kid repeated", jwks(RSA.toPublicJWK().toJSONObject(), with(EC, "kid", "rsa-1"))),
            "repeats kid"),
        Arguments.of(
            Named.of(
                "1024-bit RSA key",
                jwks(
                    new RSAKeyGenerator(1024, true)
                        .keyID("weak")
                        .generate()
                        .toPublicJWK()
                        .toJSONObject())),
            "1024-bit RSA key; RSA keys must be at least 2048 bits"),
        Arguments.of(
            Named.of("unknown kty", jwks(Map.of("kty", "XYZ", "kid", "a"))), "not a valid JWK"),
        Arguments.of(
            Named.of("EC key off curve data", jwks(with(EC, "x", "AAAA"))), "not a valid JWK"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void checkWhenInvalidThenRefusedNamingJwks(String json, String fragment) {
    assertThatThrownBy(() -> JwksValidator.check(json))
        .isInstanceOf(AdminValidationException.class)
        .hasMessageContaining(fragment)
        .extracting(e -> ((AdminValidationException) e).param())
        .isEqualTo("verification.jwks");
  }
}
