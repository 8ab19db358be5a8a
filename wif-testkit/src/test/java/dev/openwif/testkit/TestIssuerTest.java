package dev.openwif.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestIssuerTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void discoveryWhenFetchedThenNamesIssuerAndJwks() throws Exception {
    try (TestIssuer issuer = TestIssuer.start()) {
      HttpResponse<String> response = get(issuer.discoveryUrl());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("\"issuer\":\"" + issuer.issuer() + "\"")
          .contains(issuer.jwksUrl());
      assertThat(issuer.discoveryFetchCount()).isEqualTo(1);
    }
  }

  @Test
  void tokenWhenVerifiedWithServedJwksThenSignatureHoldsAndClaimsAreExact() throws Exception {
    try (TestIssuer issuer = TestIssuer.start()) {
      MutableClock clock = MutableClock.fixed();
      String token = issuer.token(issuer.standardClaims("aud-1", Duration.ofMinutes(5), clock));
      JWKSet jwks = JWKSet.parse(get(issuer.jwksUrl()).body());
      SignedJWT jwt = SignedJWT.parse(token);
      assertThat(
              jwt.verify(
                  new RSASSAVerifier(jwks.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey())))
          .isTrue();
      assertThat(jwt.getJWTClaimsSet().getClaims().keySet())
          .containsExactly("iss", "aud", "sub", "iat", "exp");
      assertThat(jwks.getKeys()).allMatch(k -> !k.isPrivate());
      assertThat(issuer.jwksFetchCount()).isEqualTo(1);
    }
  }

  @Test
  void rotateKeyWhenDoneThenOldKidLeavesJwks() {
    try (TestIssuer issuer = TestIssuer.start()) {
      String oldKid = issuer.currentKey().getKeyID();
      issuer.rotateKey();
      assertThat(issuer.jwksJson()).doesNotContain(oldKid).contains(issuer.currentKey().getKeyID());
    }
  }

  @Test
  void misbehaviourWhenSetThenServedAndNormalAgainAfterReset() throws Exception {
    try (TestIssuer issuer = TestIssuer.start()) {
      issuer.respondWithStatus(500);
      assertThat(get(issuer.jwksUrl()).statusCode()).isEqualTo(500);
      issuer.respondWithHtml();
      assertThat(get(issuer.jwksUrl()).headers().firstValue("content-type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
      issuer.respondHuge(100_000);
      assertThat(get(issuer.jwksUrl()).body()).hasSize(100_000);
      issuer.redirectTo("http://127.0.0.1:1/elsewhere");
      assertThat(get(issuer.jwksUrl()).statusCode()).isEqualTo(302);
      issuer.behaveNormally();
      assertThat(get(issuer.redirectChainUrl(2)).statusCode()).isEqualTo(302);
      assertThat(
              HttpClient.newBuilder()
                  .followRedirects(HttpClient.Redirect.NORMAL)
                  .build()
                  .send(
                      HttpRequest.newBuilder(URI.create(issuer.redirectChainUrl(2))).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body())
          .isEqualTo(issuer.jwksJson());
      issuer.goDown();
      assertThatThrownBy(() -> get(issuer.jwksUrl())).isInstanceOf(IOException.class);
      issuer.comeBack();
      assertThat(get(issuer.jwksUrl()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void tokenBuilderWhenSigningWithEcAndEd25519ThenSignaturesVerify() throws Exception {
    var ec = TestKeys.ec256();
    SignedJWT jwt = SignedJWT.parse(TokenBuilder.signedBy(ec).claim("sub", "x").build());
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    assertThat(jwt.verify(new ECDSAVerifier(ec.toECKey().toPublicJWK()))).isTrue();

    var ed = TestKeys.ed25519();
    String token = TokenBuilder.signedBy(ed).claims(Map.of("sub", "y")).build();
    String[] parts = token.split("\\.");
    byte[] x509 = new byte[44];
    System.arraycopy(java.util.HexFormat.of().parseHex("302a300506032b6570032100"), 0, x509, 0, 12);
    System.arraycopy(ed.getDecodedX(), 0, x509, 12, 32);
    var verifier = java.security.Signature.getInstance("Ed25519");
    verifier.initVerify(
        java.security.KeyFactory.getInstance("Ed25519")
            .generatePublic(new java.security.spec.X509EncodedKeySpec(x509)));
    verifier.update(
        (parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(verifier.verify(java.util.Base64.getUrlDecoder().decode(parts[2]))).isTrue();
  }

  @Test
  void mutableClockWhenAdvancedThenInstantMoves() {
    MutableClock clock = MutableClock.fixed();
    var start = clock.instant();
    clock.advance(Duration.ofSeconds(61));
    assertThat(clock.instant()).isEqualTo(start.plusSeconds(61));
    assertThat(clock.withZone(java.time.ZoneId.of("Europe/Paris")).instant())
        .isEqualTo(clock.instant());
  }
}
