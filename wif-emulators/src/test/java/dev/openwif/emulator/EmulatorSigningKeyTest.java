package dev.openwif.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorSigningKeyTest {
  @Test
  void loadOrCreateWhenFileAbsentThenCreatesOwnerOnlyFileAndReloadsSameKey(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("keys/signing.jwk");

    EmulatorSigningKey created =
        EmulatorSigningKey.loadOrCreate(file, EmulatorSigningKey.KidStyle.HEX_SHA1);
    EmulatorSigningKey reloaded =
        EmulatorSigningKey.loadOrCreate(file, EmulatorSigningKey.KidStyle.HEX_SHA1);

    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(reloaded.kid()).isEqualTo(created.kid()).matches("[0-9a-f]{40}");
    assertThat(reloaded.publicJwksJson()).isEqualTo(created.publicJwksJson());
    assertThat(dir.resolve("keys"))
        .isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
  }

  @Test
  void publicJwksJsonWhenPrintedThenHoldsNoPrivatePart() throws Exception {
    EmulatorSigningKey key =
        EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.BASE64URL_SHA256);

    JWKSet jwks = JWKSet.parse(key.publicJwksJson());

    assertThat(jwks.getKeys()).hasSize(1);
    assertThat(jwks.getKeys().getFirst().isPrivate()).isFalse();
    assertThat(key.publicJwksJson()).doesNotContain("\"d\"", "\"p\"", "\"q\"");
    assertThat(jwks.getKeys().getFirst().getKeyID())
        .isEqualTo(key.kid())
        .matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void signWhenArrayClaimThenArrayKeptAndSignatureVerifies() throws Exception {
    EmulatorSigningKey key = EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.HEX_SHA1);

    SignedJWT jwt = SignedJWT.parse(key.sign(Map.of("aud", List.of("only-one")), false));

    assertThat(jwt.getPayload().toJSONObject().get("aud")).isEqualTo(List.of("only-one"));
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.kid());
    assertThat(jwt.getHeader().getType()).isNull();
    assertThat(jwt.getHeader().toBase64URL().decodeToString())
        .isEqualTo("{\"alg\":\"RS256\",\"kid\":\"" + key.kid() + "\"}");
    assertThat(jwt.verify(new RSASSAVerifier(key.publicJwk()))).isTrue();
  }

  @Test
  void signWhenTypRequestedThenHeaderInGoogleOrder() throws Exception {
    EmulatorSigningKey key = EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.HEX_SHA1);

    String header = key.sign(Map.of("sub", "x"), true).split("\\.")[0];

    assertThat(
            new String(
                java.util.Base64.getUrlDecoder().decode(header),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"alg\":\"RS256\",\"kid\":\"" + key.kid() + "\",\"typ\":\"JWT\"}");
  }

  @Test
  void loadOrCreateWhenFileHoldsPublicKeyThenRefusedNamingTheFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("public.jwk");
    RSAKey publicOnly =
        EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.HEX_SHA1).publicJwk();
    Files.writeString(file, publicOnly.toJSONString());

    assertThatThrownBy(
            () -> EmulatorSigningKey.loadOrCreate(file, EmulatorSigningKey.KidStyle.HEX_SHA1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("public key");
  }

  @Test
  void loadOrCreateWhenFileIsNotJwkThenRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("garbage.jwk");
    Files.writeString(file, "not json");

    assertThatThrownBy(
            () -> EmulatorSigningKey.loadOrCreate(file, EmulatorSigningKey.KidStyle.HEX_SHA1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not hold an RSA JWK");
  }
}
