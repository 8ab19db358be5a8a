package dev.openwif.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.audit.ReasonCode;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No request waits on a slow issuer longer than {@code maxWait}, and lookups never wait: fetches
 * run on the fetch executor, one per issuer at a time (single flight), bounded overall by {@link
 * IssuerFetchPool}. The issuer is a {@link HeldFetcher} the test blocks and releases; fetches run
 * on real threads.
 */
class DiscoveryKeySourceBoundedWaitTest {
  static final String ISS = "https://issuer.example";
  static final String DISCOVERY = ISS + "/.well-known/openid-configuration";
  static final String JWKS = ISS + "/keys";
  static final RSAKey KEY_1 = TestKeys.rsa("k1");
  static final RSAKey KEY_2 = TestKeys.rsa("k2");
  static final Duration MAX_WAIT = Duration.ofMillis(300);

  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryJwksFetcher issuer = new InMemoryJwksFetcher();
  private final HeldFetcher fetcher = new HeldFetcher(issuer);
  private final DiscoverySettings settings = DiscoverySettings.defaults().withMaxWait(MAX_WAIT);
  private final IssuerFetchPool pool = new IssuerFetchPool(4, 100);

  DiscoveryKeySourceBoundedWaitTest() {
    issuer.serveJson(DISCOVERY, "{\"issuer\":\"" + ISS + "\",\"jwks_uri\":\"" + JWKS + "\"}");
    publish(KEY_1);
  }

  @AfterEach
  void stop() {
    fetcher.release();
    pool.close();
  }

  private void publish(JWK... keys) {
    issuer.serveJson(JWKS, new JWKSet(List.of(keys)).toPublicJWKSet().toString());
  }

  private DiscoveryKeySource source() {
    return new DiscoveryKeySource(ISS, Optional.empty(), fetcher, clock, settings, pool);
  }

  /** A source that has its keys (k1), fetched once. */
  private DiscoveryKeySource sourceWithKeys() {
    DiscoveryKeySource source = source();
    source.prepare(Optional.empty());
    assertThat(source.keyFor("k1")).isPresent();
    assertThat(issuer.count(JWKS)).isEqualTo(1);
    return source;
  }

  private static <T> T within(Duration limit, java.util.function.Supplier<T> work)
      throws Exception {
    return CompletableFuture.supplyAsync(work, Thread::startVirtualThread)
        .get(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Duration timed(Runnable work) {
    long started = System.nanoTime();
    work.run();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private void awaitIdle(DiscoveryKeySource source) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (source.fetching() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(source.fetching()).as("the fetch ended").isFalse();
  }

  @Test
  void keyForWhenFirstFetchHangsThenRefusedAtOnceAsPendingNotBlocked() throws Exception {
    fetcher.hold();
    DiscoveryKeySource source = source();

    Throwable refusal =
        within(
            Duration.ofSeconds(1),
            () -> {
              try {
                source.keyFor("k1");
                return new AssertionError("a key without any fetch done");
              } catch (IssuerUnavailableException e) {
                return e;
              }
            });

    assertThat(refusal).isInstanceOf(IssuerUnavailableException.class);
    assertThat(((IssuerUnavailableException) refusal).reason())
        .isEqualTo(ReasonCode.ISSUER_KEYS_PENDING);
    assertThat(refusal).hasMessageContaining("still runs");
    fetcher.release();
    awaitIdle(source);
    assertThat(source.keyFor("k1")).isPresent();
    assertThat(issuer.count(DISCOVERY)).isEqualTo(1);
  }

  @Test
  void prepareWhenFirstFetchHangsThenReturnsAfterMaxWaitAndTheFetchGoesOn() throws Exception {
    fetcher.hold();
    DiscoveryKeySource source = source();

    Duration waited = timed(() -> source.prepare(Optional.of("k1")));

    assertThat(waited).isGreaterThanOrEqualTo(MAX_WAIT).isLessThan(Duration.ofSeconds(2));
    assertThat(source.fetching()).isTrue();
    assertThatThrownBy(() -> source.keyFor("k1"))
        .isInstanceOfSatisfying(
            IssuerUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.ISSUER_KEYS_PENDING));
    fetcher.release();
    awaitIdle(source);
    assertThat(source.keyFor("k1")).isPresent();
    assertThat(fetcher.entered()).as("discovery + JWKS, once").isEqualTo(2);
  }

  @Test
  void prepareWhenIssuerAnswersWithinMaxWaitThenThisRequestGetsTheKeys() {
    DiscoveryKeySource source = source();

    source.prepare(Optional.of("k1"));

    assertThat(source.keyFor("k1")).isPresent();
  }

  @Test
  void prepareWhenManyRequestsDuringAHangingFirstFetchThenOneFetchAndEveryWaitBounded()
      throws Exception {
    fetcher.hold();
    DiscoveryKeySource source = source();
    List<CompletableFuture<Duration>> requests = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      requests.add(
          CompletableFuture.supplyAsync(
              () -> timed(() -> source.prepare(Optional.of("k1"))), Thread::startVirtualThread));
    }
    for (CompletableFuture<Duration> request : requests) {
      assertThat(request.get(3, TimeUnit.SECONDS)).isLessThan(Duration.ofSeconds(2));
    }

    assertThat(fetcher.entered()).as("one discovery fetch for 64 requests").isEqualTo(1);
    assertThat(fetcher.maxInFlight()).isEqualTo(1);
    fetcher.release();
    awaitIdle(source);
    assertThat(source.keyFor("k1")).isPresent();
    assertThat(issuer.count(DISCOVERY)).isEqualTo(1);
  }

  @Test
  void keyForWhenRefreshDueAndIssuerHangsThenCachedKeysServeWhileOneRefreshRuns() throws Exception {
    DiscoveryKeySource source = sourceWithKeys();
    fetcher.hold();
    clock.advance(Duration.ofSeconds(60));

    for (int i = 0; i < 100; i++) {
      assertThat(within(Duration.ofSeconds(1), () -> source.keyFor("k1"))).isPresent();
      source.prepare(Optional.of("k1")); // a known kid: nothing to wait for
    }

    assertThat(fetcher.awaitInFlight(1, Duration.ofSeconds(2))).isTrue();
    assertThat(fetcher.maxInFlight()).as("one background refresh").isEqualTo(1);
    fetcher.release();
    awaitIdle(source);
    assertThat(issuer.count(DISCOVERY)).isEqualTo(2);
  }

  @Test
  void prepareWhenIdleForTwoIntervalsThenWaitsForTheRefreshBeforeTheLookup() {
    DiscoveryKeySource source = sourceWithKeys();
    publish(KEY_2);
    clock.advance(Duration.ofSeconds(120));

    source.prepare(Optional.of("k1"));

    assertThat(issuer.count(JWKS)).isEqualTo(2);
    assertThat(source.keyFor("k1")).as("removed from the JWKS").isEmpty();
    assertThat(source.keyFor("k2")).isPresent();
  }

  @Test
  void prepareWhenIdleAndIssuerHangsThenWaitsAtMostMaxWaitAndCachedKeysServe() {
    DiscoveryKeySource source = sourceWithKeys();
    fetcher.hold();
    clock.advance(Duration.ofSeconds(120));

    Duration waited = timed(() -> source.prepare(Optional.of("k1")));

    assertThat(waited).isGreaterThanOrEqualTo(MAX_WAIT).isLessThan(Duration.ofSeconds(2));
    assertThat(source.keyFor("k1")).as("cached keys, as during an outage").isPresent();
  }

  @Test
  void keyForWhenStaleAndIssuerHangsThenRefusedAtOnce() throws Exception {
    DiscoveryKeySource source = sourceWithKeys();
    fetcher.hold();
    clock.advance(Duration.ofHours(24).plusSeconds(1));

    Throwable refusal =
        within(
            Duration.ofSeconds(1),
            () -> {
              try {
                return new AssertionError("stale key served: " + source.keyFor("k1"));
              } catch (IssuerUnavailableException e) {
                return e;
              }
            });

    assertThat(refusal).isInstanceOf(IssuerUnavailableException.class);
    assertThat(((IssuerUnavailableException) refusal).reason())
        .isEqualTo(ReasonCode.ISSUER_UNAVAILABLE);
    assertThat(refusal).hasMessageContaining("longer ago than the allowed");
  }

  @Test
  void prepareWhenUnknownKidFloodOnAHangingIssuerThenOneFetchPerCooldownAndBoundedWaits()
      throws Exception {
    DiscoveryKeySource source = sourceWithKeys();
    fetcher.hold();
    int before = fetcher.entered();
    List<CompletableFuture<Duration>> requests = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      String kid = "unknown-" + i;
      requests.add(
          CompletableFuture.supplyAsync(
              () ->
                  timed(
                      () -> {
                        source.prepare(Optional.of(kid));
                        assertThat(source.keyFor(kid)).isEmpty();
                      }),
              Thread::startVirtualThread));
    }
    for (CompletableFuture<Duration> request : requests) {
      assertThat(request.get(3, TimeUnit.SECONDS)).isLessThan(Duration.ofSeconds(2));
    }
    assertThat(fetcher.entered() - before).as("one fetch started for 64 unknown kids").isEqualTo(1);
    fetcher.release();
    awaitIdle(source);
    assertThat(issuer.count(JWKS)).isEqualTo(2);

    clock.advance(Duration.ofSeconds(9));
    source.prepare(Optional.of("unknown-again"));
    assertThat(source.keyFor("unknown-again")).isEmpty();
    assertThat(issuer.count(JWKS)).as("still within the cool-down").isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    source.prepare(Optional.of("unknown-later"));
    assertThat(issuer.count(JWKS)).isEqualTo(3);
  }

  @Test
  void prepareWhenIssuerRotatedInANewKidThenOneFetchFindsItBeforeTheLookup() {
    DiscoveryKeySource source = sourceWithKeys();
    publish(KEY_1, KEY_2);

    source.prepare(Optional.of("k2"));

    assertThat(source.keyFor("k2")).isPresent();
    assertThat(issuer.count(JWKS)).isEqualTo(2);
  }

  @Test
  void fetchPoolWhenManyIssuersHangThenAtMostItsSizeFetchAtOnceAndAllGetKeysLater()
      throws Exception {
    fetcher.hold();
    try (IssuerFetchPool two = new IssuerFetchPool(2, 100)) {
      List<DiscoveryKeySource> sources = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        DiscoveryKeySource source =
            new DiscoveryKeySource(ISS, Optional.empty(), fetcher, clock, settings, two);
        source.prefetch();
        sources.add(source);
      }
      assertThat(fetcher.awaitInFlight(2, Duration.ofSeconds(2))).isTrue();
      Thread.sleep(100);
      assertThat(fetcher.maxInFlight()).isEqualTo(2);

      fetcher.release();
      for (DiscoveryKeySource source : sources) {
        awaitIdle(source);
        assertThat(source.keyFor("k1")).isPresent();
      }
      assertThat(fetcher.maxInFlight()).isEqualTo(2);
      assertThat(issuer.count(DISCOVERY)).isEqualTo(6);
    }
  }

  @Test
  void fetchPoolWhenQueueFullThenTheFetchCountsAsFailedAndTheLookupIsRefused() throws Exception {
    fetcher.hold();
    try (IssuerFetchPool tiny = new IssuerFetchPool(1, 1)) {
      List<DiscoveryKeySource> sources = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sources.add(new DiscoveryKeySource(ISS, Optional.empty(), fetcher, clock, settings, tiny));
      }
      sources.get(0).prefetch();
      assertThat(fetcher.awaitInFlight(1, Duration.ofSeconds(2))).isTrue();
      sources.get(1).prefetch(); // queued
      sources.get(2).prefetch(); // refused

      assertThat(sources.get(2).fetching()).isFalse();
      assertThatThrownBy(() -> sources.get(2).keyFor("k1"))
          .isInstanceOfSatisfying(
              IssuerUnavailableException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.ISSUER_UNAVAILABLE))
          .hasMessageContaining("too many issuer fetches");
    }
  }

  @Test
  void prefetchWhenClosedThenNothingStarts() {
    DiscoveryKeySource source = source();
    source.close();

    source.prefetch();

    assertThat(source.fetching()).isFalse();
    assertThat(fetcher.entered()).isZero();
  }
}
