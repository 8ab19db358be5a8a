package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessTokenVerifierTest {
  static final String ISS = "https://wif.example";
  static final String AUD = "https://wif.example/v1";

  private final MutableClock clock = MutableClock.fixed();
  private final InMemorySigningKeyRepository repository = new InMemorySigningKeyRepository();
  private final SigningKeys keys = new SigningKeys(repository, clock);
  private final AccessTokenMinter minter = new AccessTokenMinter(keys, clock);
  private final AccessTokenVerifier verifier = new AccessTokenVerifier(keys, clock, ISS, AUD, 1000);

  private AccessTokenClaims claims(String jti, Duration ttl) {
    Instant now = clock.instant();
    return new AccessTokenClaims(
        ISS,
        "sa_1",
        AUD,
        now,
        now.plus(ttl),
        jti,
        Set.of("api.model.request", "api.vector_store.read"),
        "wip_1",
        "rule_1",
        "proj_1",
        "system:serviceaccount:ns:app",
        Optional.of("client-1"));
  }

  private String mint() {
    return minter.mint(claims("jti-1", Duration.ofHours(1))).token();
  }

  @Test
  void mintWhenVerifiedThenClaimsRoundTrip() throws Exception {
    MintedAccessToken minted = minter.mint(claims("jti-1", Duration.ofHours(1)));
    VerifiedAccessToken verified = verifier.verify(minted.token());

    assertThat(verified)
        .isEqualTo(
            new VerifiedAccessToken(
                "sa_1",
                Set.of("api.model.request", "api.vector_store.read"),
                "wip_1",
                "rule_1",
                "proj_1",
                "jti-1",
                clock.instant().plus(Duration.ofHours(1)),
                clock.instant(),
                Optional.of("system:serviceaccount:ns:app"),
                Optional.of("client-1")));
    assertThat(minted.jti()).isEqualTo("jti-1");
    assertThat(minted.toString()).doesNotContain(minted.token());
    SignedJWT jwt = SignedJWT.parse(minted.token());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.current().getKeyID());
    assertThat(jwt.getJWTClaimsSet().getClaims())
        .containsEntry("scope", "api.model.request api.vector_store.read")
        .containsEntry("wif_provider", "wip_1")
        .containsEntry("wif_rule", "rule_1")
        .containsEntry("wif_project", "proj_1")
        .containsEntry("wif_ext_sub", "system:serviceaccount:ns:app")
        .containsEntry("client_id", "client-1");
  }

  @Test
  void verifyWhenNoExternalSubjectNorClientIdThenBothEmpty() {
    String token =
        sign(
            keys.current(),
            header(keys.current().getKeyID()).build(),
            goodClaims(clock.instant()).claim("wif_ext_sub", "").build());

    VerifiedAccessToken verified = verifier.verify(token);

    assertThat(verified.externalSubject()).isEmpty();
    assertThat(verified.clientId()).isEmpty();
    assertThat(verified.issuedAt()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    assertThat(verifier.issuer()).isEqualTo(ISS);
    assertThat(verifier.audience()).isEqualTo(AUD);
  }

  @Test
  void verifyWhenMintedBeforeRestartThenStillVerifies() {
    String token = mint();
    SigningKeys restartedKeys = new SigningKeys(repository, clock);
    AccessTokenVerifier restarted = new AccessTokenVerifier(restartedKeys, clock, ISS, AUD, 10);
    assertThat(restarted.verify(token).jti()).isEqualTo("jti-1");
  }

  @Test
  void verifyWhenSignedByRotatedOutKeyThenStillVerifies() {
    String token = mint();
    keys.rotate();
    assertThat(verifier.verify(token).subject()).isEqualTo("sa_1");
    assertThat(verifier.verify(minter.mint(claims("jti-2", Duration.ofMinutes(5))).token()).jti())
        .isEqualTo("jti-2");
  }

  @Test
  void verifyWhenKeyRetiredAfterTheTokenWasCachedThenRefusedFromTheCacheToo() {
    String token = mint();
    String oldKid = keys.current().getKeyID();
    assertThat(verifier.verify(token).jti()).isEqualTo("jti-1");
    assertThat(verifier.cachedCount()).isEqualTo(1);

    SigningKeyRotation rotation =
        new SigningKeyRotation(repository, new SigningKeyLifecycle(Duration.ofHours(1)), clock);
    rotation.rotate();
    assertThat(rotation.retire(oldKid, true))
        .isEqualTo(new SigningKeyRotation.Retirement.Done(oldKid));
    keys.reload(); // what the server's periodic re-read does

    assertThat(verifier.cached(token))
        .as("the signature-free lookup the gateway's failure limit uses honours retirement too")
        .isEmpty();
    assertThat(verifier.cachedCount()).isZero();
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOf(AccessTokenRejectedException.class)
        .hasMessageContaining("kid " + oldKid + " is not one of ours");
  }

  @Test
  void verifyWhenRotatedOutKeyPastItsVerifyUntilThenRefusedEvenFromCache() {
    // lives longer than the 1 h the lifecycle assumes, so it outlives its key's verify-until time
    String token = minter.mint(claims("jti-1", Duration.ofHours(3))).token();
    assertThat(verifier.verify(token).jti()).isEqualTo("jti-1");
    keys.rotate();
    clock.advance(Duration.ofHours(1).plus(SigningKeyLifecycle.CLOCK_SKEW).minusMillis(1));
    assertThat(verifier.verify(token).jti()).isEqualTo("jti-1");

    clock.advance(Duration.ofMillis(1));

    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOf(AccessTokenRejectedException.class)
        .hasMessageContaining("is not one of ours");
  }

  @Test
  void verifyWhenExpiredThenRejectedEvenFromCache() {
    String token = minter.mint(claims("jti-1", Duration.ofSeconds(60))).token();
    assertThat(verifier.verify(token).jti()).isEqualTo("jti-1");
    assertThat(verifier.cachedCount()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(60));
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(
            AccessTokenRejectedException.class, e -> assertThat(e.reason()).contains("expired"));
    assertThat(verifier.cachedCount()).isZero();
  }

  @Test
  void verifyWhenRepeatedThenServedFromCache() {
    String token = mint();
    verifier.verify(token);
    verifier.verify(token);
    assertThat(verifier.cachedCount()).isEqualTo(1);
    verifier.invalidateJti("jti-1");
    assertThat(verifier.cachedCount()).isZero();
    verifier.verify(token);
    verifier.invalidateAll();
    assertThat(verifier.cachedCount()).isZero();
  }

  @Test
  void verifyWhenManyTokensThenCacheStaysBounded() {
    AccessTokenVerifier small = new AccessTokenVerifier(keys, clock, ISS, AUD, 5);
    for (int i = 0; i < 50; i++) {
      small.verify(minter.mint(claims("jti-" + i, Duration.ofHours(1))).token());
      assertThat(small.cachedCount()).isLessThanOrEqualTo(5);
    }
  }

  static String sign(ECKey key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JWTClaimsSet.Builder goodClaims(Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(ISS)
        .subject("sa_1")
        .audience(AUD)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(3600)))
        .jwtID("j")
        .claim("scope", "api.model.request")
        .claim("wif_provider", "p")
        .claim("wif_rule", "r")
        .claim("wif_project", "pr");
  }

  static JWSHeader.Builder header(String kid) {
    return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(new JOSEObjectType("at+jwt"));
  }

  record Forgery(String name, Function<AccessTokenVerifierTest, String> token, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> forgeries() {
    return Stream.of(
            new Forgery(
                "payload tampered",
                t -> {
                  String[] p = t.mint().split("\\.");
                  String payload =
                      new String(Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8)
                          .replace("api.model.request", "api.admin");
                  return p[0]
                      + "."
                      + Base64.getUrlEncoder()
                          .withoutPadding()
                          .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                      + "."
                      + p[2];
                },
                "signature does not verify"),
            new Forgery(
                "signature of another key with our kid",
                t ->
                    sign(
                        TestKeys.ec256(),
                        header(t.keys.current().getKeyID()).build(),
                        goodClaims(t.clock.instant()).build()),
                "signature does not verify"),
            new Forgery(
                "foreign kid",
                t ->
                    sign(
                        TestKeys.ec256("other"),
                        header("other").build(),
                        goodClaims(t.clock.instant()).build()),
                "not one of ours"),
            new Forgery(
                "RS256 token",
                t ->
                    TokenBuilder.signedBy(TestKeys.rsa(t.keys.current().getKeyID()))
                        .header("typ", "at+jwt")
                        .claims(goodClaims(t.clock.instant()).build().toJSONObject())
                        .build(),
                "not ES256"),
            new Forgery(
                "alg none",
                t ->
                    TokenBuilder.signedBy(TestKeys.ec256())
                        .alg("none")
                        .kid(t.keys.current().getKeyID())
                        .claims(goodClaims(t.clock.instant()).build().toJSONObject())
                        .unsigned(),
                "not a signed JWT"),
            new Forgery(
                "typ JWT",
                t ->
                    sign(
                        t.keys.current(),
                        header(t.keys.current().getKeyID()).type(JOSEObjectType.JWT).build(),
                        goodClaims(t.clock.instant()).build()),
                "typ"),
            new Forgery(
                "wrong issuer",
                t ->
                    sign(
                        t.keys.current(),
                        header(t.keys.current().getKeyID()).build(),
                        goodClaims(t.clock.instant()).issuer("https://evil.example").build()),
                "iss"),
            new Forgery(
                "wrong audience",
                t ->
                    sign(
                        t.keys.current(),
                        header(t.keys.current().getKeyID()).build(),
                        goodClaims(t.clock.instant()).audience("other").build()),
                "aud"),
            new Forgery(
                "no exp",
                t ->
                    sign(
                        t.keys.current(),
                        header(t.keys.current().getKeyID()).build(),
                        goodClaims(t.clock.instant()).expirationTime(null).build()),
                "exp is missing"),
            new Forgery(
                "no iat",
                t ->
                    sign(
                        t.keys.current(),
                        header(t.keys.current().getKeyID()).build(),
                        goodClaims(t.clock.instant()).issueTime(null).build()),
                "iat is missing"),
            new Forgery(
                "no scope",
                t ->
                    sign(
                        t.keys.current(),
                        header(t.keys.current().getKeyID()).build(),
                        goodClaims(t.clock.instant()).claim("scope", null).build()),
                "scope is missing"),
            new Forgery(
                "expired, with a broken signature: refused on exp before any ECDSA work",
                t -> {
                  String token = t.minter.mint(t.claims("jti-old", Duration.ofSeconds(1))).token();
                  t.clock.advance(Duration.ofSeconds(5));
                  String[] p = token.split("\\.");
                  return p[0] + "." + p[1] + "." + "A" + p[2].substring(1);
                },
                "expired"),
            new Forgery("garbage", t -> "not-a-token", "not a signed JWT"),
            new Forgery("empty", t -> "", "empty"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void verifyWhenForgedThenRejectedWithReason(Forgery forgery) {
    String token = forgery.token().apply(this);
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(
            AccessTokenRejectedException.class,
            e -> assertThat(e.reason()).contains(forgery.reason()));
    assertThat(verifier.cachedCount()).isZero();
  }
}
