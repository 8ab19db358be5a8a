package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.audit.ReasonCode;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestIssuer;
import dev.openwif.testkit.TokenBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issuers that misbehave, end to end through {@code POST /oauth/token} with keys from OIDC
 * discovery over real HTTP, on a server whose clock the test moves: down, erroring, slow (refused
 * as pending within the 2 s wait for keys, then as unavailable after the 5 s fetch timeout), huge
 * (the 512 KiB cap), redirecting to a metadata address, HTML, a lying discovery document, private
 * keys, keys with the wrong {@code use} or {@code alg}; last-known-good keys serving known kids
 * through an outage (until 24 h stale); a flood of unknown kids causing at most one JWKS fetch per
 * 10 s cool-down; a key rotated out of the JWKS refused after the refresh. Every case gets a fresh
 * issuer.
 */
@Tag("crypto-neutral")
@ExtendWith(AdversarialCases.class)
class IssuerMisbehaviourIT {
  @TempDir static Path dir;
  static MutableClock clock = MutableClock.startingNow();
  static Arena arena;
  final List<TestIssuer> issuers = new ArrayList<>();

  @BeforeAll
  static void start() {
    arena = Arena.start(dir, clock).uploaded();
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  @AfterEach
  void closeIssuers() {
    issuers.forEach(TestIssuer::close);
  }

  private Federation federationAt(TestIssuer issuer) {
    issuers.add(issuer);
    return Federation.discovery(arena.server, issuer, Federation.allScopes());
  }

  private void assertUnavailable(Federation fed) {
    assertUnavailable(fed, ReasonCode.ISSUER_UNAVAILABLE);
  }

  private void assertUnavailable(Federation fed, ReasonCode reason) {
    Optional<String> before = arena.newestExchangeEventId();
    String token = fed.subjectToken(clock);
    LiveServer.Reply reply = arena.exchange(token, fed.providerId(), fed.accountId());
    arena.assertRefusedReply(
        reply, before, 503, "temporarily_unavailable", reason, Optional.of(token));
    assertThat(reply.header("Retry-After")).as("retry-after").isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenIssuers")
  void exchangeWhenIssuerBrokenOnFirstUseThen503IssuerUnavailable(
      String name, Consumer<TestIssuer> breakIt) {
    TestIssuer issuer = TestIssuer.start();
    breakIt.accept(issuer); // before the provider exists: its prefetch meets the broken issuer
    Federation fed = federationAt(issuer);

    assertUnavailable(fed);
  }

  static Stream<Arguments> brokenIssuers() {
    return Stream.of(
        Arguments.of("discovery and JWKS down", (Consumer<TestIssuer>) TestIssuer::goDown),
        Arguments.of("HTTP 500", (Consumer<TestIssuer>) i -> i.respondWithStatus(500)),
        Arguments.of("HTTP 404", (Consumer<TestIssuer>) i -> i.respondWithStatus(404)),
        Arguments.of(
            "1 MiB body (cap 512 KiB)", (Consumer<TestIssuer>) i -> i.respondHuge(1024 * 1024)),
        Arguments.of("HTML login page", (Consumer<TestIssuer>) TestIssuer::respondWithHtml),
        Arguments.of(
            "redirect to the cloud metadata address",
            (Consumer<TestIssuer>) i -> i.redirectTo("http://169.254.169.254/latest/meta-data/")),
        Arguments.of(
            "redirect to a private address",
            (Consumer<TestIssuer>) i -> i.redirectTo("http://10.0.0.1/jwks")),
        Arguments.of(
            "redirect to a file URL",
            (Consumer<TestIssuer>) i -> i.redirectTo("file:///etc/passwd")),
        Arguments.of(
            "discovery naming another issuer",
            (Consumer<TestIssuer>) i -> i.serveDiscoveryIssuer("https://accounts.google.com")),
        Arguments.of(
            "JWKS with private key material",
            (Consumer<TestIssuer>)
                i ->
                    i.serveRawJwks(
                        new com.nimbusds.jose.jwk.JWKSet(i.currentKey()).toString(false))),
        Arguments.of(
            "JWKS that is not JSON", (Consumer<TestIssuer>) i -> i.serveRawJwks("<keys/>")),
        Arguments.of(
            "JWKS with a duplicate member",
            (Consumer<TestIssuer>) i -> i.serveRawJwks("{\"keys\":[],\"keys\":[]}")));
  }

  @Test
  void exchangeWhenIssuerSlowerThanFetchTimeoutThen503PendingWithinTheWaitBoundThenUnavailable()
      throws InterruptedException {
    TestIssuer issuer = TestIssuer.start();
    issuer.respondSlowly(Duration.ofSeconds(8));
    Federation fed = federationAt(issuer); // its prefetch now sleeps at the issuer

    long started = System.nanoTime();
    assertUnavailable(fed, ReasonCode.ISSUER_KEYS_PENDING);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took)
        .as("the 2 s wait for keys, not the 5 s fetch")
        .isLessThan(Duration.ofSeconds(4));
    Thread.sleep(Duration.ofSeconds(5)); // the fetch gives up at its 5 s timeout
    started = System.nanoTime();
    assertUnavailable(fed); // failed, retried only after the cool-down: refused at once
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void exchangeWhenJwksKeyHasUseEncThenKeyUseNotSig() {
    TestIssuer issuer = TestIssuer.start();
    issuer.serveRawJwks( // before the provider exists, so that its prefetch gets this JWKS
        "{\"keys\":["
            + issuer
                .currentKey()
                .toPublicJWK()
                .toJSONString()
                .replace("\"use\":\"sig\"", "\"use\":\"enc\"")
            + "]}");
    Federation fed = federationAt(issuer);

    arena.assertTokenRefused(
        fed.subjectToken(clock), fed.providerId(), fed.accountId(), ReasonCode.KEY_USE_NOT_SIG);
  }

  @Test
  void exchangeWhenJwksKeyBoundToAnotherAlgThenKeyAlgMismatch() {
    TestIssuer issuer = TestIssuer.start();
    String key = issuer.currentKey().toPublicJWK().toJSONString();
    issuer.serveRawJwks(
        "{\"keys\":[" + key.substring(0, key.length() - 1) + ",\"alg\":\"RS512\"}]}");
    Federation fed = federationAt(issuer);

    arena.assertTokenRefused(
        fed.subjectToken(clock), fed.providerId(), fed.accountId(), ReasonCode.KEY_ALG_MISMATCH);
  }

  @Test
  void exchangeWhenIssuerGoesDownThenCachedKeysServeKnownKidsUntilStale() {
    TestIssuer issuer = TestIssuer.start();
    Federation fed = federationAt(issuer);
    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
    issuer.goDown();

    clock.advance(Duration.ofSeconds(61)); // a refresh is due: it fails, the old keys stay
    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
    clock.advance(Duration.ofHours(6));
    arena.server.awaitFreshSnapshot();
    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
    arena.assertTokenRefused(
        fed.issuer()
            .tokenBuilder()
            .claims(fed.claims(clock))
            .kid("rotated-in-during-outage")
            .build(),
        fed.providerId(),
        fed.accountId(),
        ReasonCode.KID_UNKNOWN);

    clock.advance(Duration.ofHours(19)); // last good fetch now more than 24 h ago
    arena.server.awaitFreshSnapshot();
    assertUnavailable(fed);

    issuer.comeBack();
    clock.advance(Duration.ofSeconds(11)); // past the retry cool-down
    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
  }

  @Test
  void exchangeWhenUnknownKidsFloodThenAtMostOneJwksFetchPerCooldown() {
    TestIssuer issuer = TestIssuer.start();
    Federation fed = federationAt(issuer);
    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
    int afterFirstUse = issuer.jwksFetchCount();
    assertThat(afterFirstUse).isEqualTo(1);

    for (int i = 0; i < 40; i++) {
      arena.assertTokenRefused(
          fed.issuer().tokenBuilder().claims(fed.claims(clock)).kid("flood-" + i).build(),
          fed.providerId(),
          fed.accountId(),
          ReasonCode.KID_UNKNOWN);
    }
    assertThat(issuer.jwksFetchCount())
        .as("fetches caused by 40 unknown kids within one cool-down")
        .isEqualTo(afterFirstUse + 1);

    clock.advance(Duration.ofSeconds(11));
    for (int i = 0; i < 20; i++) {
      arena.assertTokenRefused(
          fed.issuer().tokenBuilder().claims(fed.claims(clock)).kid("flood-again-" + i).build(),
          fed.providerId(),
          fed.accountId(),
          ReasonCode.KID_UNKNOWN);
    }
    assertThat(issuer.jwksFetchCount())
        .as("one more fetch in the next cool-down")
        .isEqualTo(afterFirstUse + 2);
  }

  @Test
  void exchangeWhenIssuerRotatesInANewKeyThenUnknownKidRefreshPicksItUp() {
    TestIssuer issuer = TestIssuer.start();
    Federation fed = federationAt(issuer);
    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
    clock.advance(Duration.ofSeconds(11)); // outside any earlier cool-down
    issuer.rotateKey();

    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
  }

  @Test
  void exchangeWhenKeyRotatedOutOfIssuerJwksThenRefusedAfterRefresh() {
    TestIssuer issuer = TestIssuer.start();
    Federation fed = federationAt(issuer);
    RSAKey removed = issuer.currentKey();
    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
    issuer.rotateKey();

    clock.advance(
        Duration.ofSeconds(121)); // two refresh intervals: the next lookup refreshes first
    String signedByRemovedKey = TokenBuilder.signedBy(removed).claims(fed.claims(clock)).build();
    arena.assertTokenRefused(
        signedByRemovedKey, fed.providerId(), fed.accountId(), ReasonCode.KID_UNKNOWN);
    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
  }
}
