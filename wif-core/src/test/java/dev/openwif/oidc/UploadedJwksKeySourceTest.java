package dev.openwif.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.openwif.testkit.TestKeys;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UploadedJwksKeySourceTest {
  static final JWK RSA = TestKeys.rsa("r1");
  static final JWK EC = TestKeys.ec256("e1");
  static final JWK ED = TestKeys.ed25519("d1");

  @Test
  void keyForWhenPublicKeysUploadedThenFoundByKidOnly() {
    var source =
        new UploadedJwksKeySource(new JWKSet(List.of(RSA, EC, ED)).toPublicJWKSet().toString());
    assertThat(source.kids()).containsExactlyInAnyOrder("r1", "e1", "d1");
    assertThat(source.keyFor("e1")).hasValue(EC.toPublicJWK());
    assertThat(source.keyFor("E1")).isEmpty();
  }

  @Test
  void constructorWhenKeyHasNoKidThenKeyIsNotSelectable() {
    JWK noKid =
        new com.nimbusds.jose.jwk.ECKey.Builder(EC.toECKey()).keyID(null).build().toPublicJWK();
    var source = new UploadedJwksKeySource(new JWKSet(noKid).toString());
    assertThat(source.kids()).isEmpty();
  }

  static Stream<Arguments> invalidDocuments() {
    return Stream.of(
        Arguments.of("not JSON", "keys", "not a JSON object"),
        Arguments.of("a JSON array", "[]", "not a JSON object"),
        Arguments.of("keys not an array", "{\"keys\":{}}", "not a valid JWK Set"),
        Arguments.of("private key", new JWKSet(RSA).toString(false), "private key material"),
        Arguments.of(
            "duplicate kid",
            "{\"keys\":[" + EC.toPublicJWK() + "," + EC.toPublicJWK() + "]}",
            "two keys with kid e1"),
        Arguments.of(
            "duplicate member",
            "{\"keys\":[],\"keys\":[" + EC.toPublicJWK() + "]}",
            "names member \"keys\" twice"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidDocuments")
  void constructorWhenDocumentInvalidThenRefusedWithReason(
      String name, String json, String message) {
    assertThatThrownBy(() -> new UploadedJwksKeySource(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
