package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Es256CompactSignerTest {
  private static final byte[] PAYLOAD = "{\"sub\":\"sa_1\"}".getBytes(StandardCharsets.UTF_8);

  private static ECKey p256(String kid) throws Exception {
    return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
  }

  @Test
  void signWhenPayloadGivenThenCompactJwsThatNimbusVerifies() throws Exception {
    ECKey key = p256("kid-1");
    String compact = new Es256CompactSigner(key, "at+jwt").sign(PAYLOAD);

    JWSObject parsed = JWSObject.parse(compact);
    assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(parsed.getHeader().getKeyID()).isEqualTo("kid-1");
    assertThat(parsed.getHeader().getType().getType()).isEqualTo("at+jwt");
    assertThat(parsed.getHeader().toJSONObject()).containsOnlyKeys("alg", "kid", "typ");
    assertThat(parsed.getPayload().toString()).isEqualTo("{\"sub\":\"sa_1\"}");
    assertThat(parsed.getSignature().decode()).hasSize(64);
    assertThat(parsed.verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
    assertThat(parsed.verify(new ECDSAVerifier(p256("other").toPublicJWK()))).isFalse();
  }

  @Test
  void signWhenManyThreadsShareTheSignerThenEverySignatureVerifies() throws Exception {
    ECKey key = p256("kid-2");
    Es256CompactSigner signer = new Es256CompactSigner(key, "at+jwt");
    ECDSAVerifier verifier = new ECDSAVerifier(key.toPublicJWK());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> tokens = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        byte[] payload = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        tokens.add(pool.submit(() -> signer.sign(payload)));
      }
      for (int i = 0; i < tokens.size(); i++) {
        JWSObject parsed = JWSObject.parse(tokens.get(i).get(10, TimeUnit.SECONDS));
        assertThat(parsed.getPayload().toString()).isEqualTo("{\"n\":" + i + "}");
        assertThat(parsed.verify(verifier)).as("token %d", i).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void signWhenSamePayloadTwiceThenFreshRandomnessEachTime() throws Exception {
    Es256CompactSigner signer = new Es256CompactSigner(p256("kid-3"), "at+jwt");
    assertThat(signer.sign(PAYLOAD)).isNotEqualTo(signer.sign(PAYLOAD));
  }

  @Test
  void constructorWhenNotP256OrPublicOnlyThenRefused() throws Exception {
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("k384").generate();
    assertThatThrownBy(() -> new Es256CompactSigner(p384, "at+jwt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("P-256");
    ECKey publicOnly = p256("kpub").toPublicJWK();
    assertThatThrownBy(() -> new Es256CompactSigner(publicOnly, "at+jwt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("private key");
  }
}
