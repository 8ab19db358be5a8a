package dev.openwif.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DiscoveryKeySourceTest {
  static final String ISS = "https://issuer.example";
  static final String DISCOVERY = ISS + "/.well-known/openid-configuration";
  static final String JWKS = ISS + "/keys";
  static final RSAKey KEY_1 = TestKeys.rsa("k1");
  static final RSAKey KEY_2 = TestKeys.rsa("k2");

  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryJwksFetcher fetcher = new InMemoryJwksFetcher();
  private final DiscoverySettings settings = DiscoverySettings.defaults();

  DiscoveryKeySourceTest() {
    fetcher.serveJson(DISCOVERY, "{\"issuer\":\"" + ISS + "\",\"jwks_uri\":\"" + JWKS + "\"}");
    publish(KEY_1);
  }

  private void publish(JWK... keys) {
    fetcher.serveJson(JWKS, new JWKSet(List.of(keys)).toPublicJWKSet().toString());
  }

  private DiscoveryKeySource source() {
    return new DiscoveryKeySource(ISS, Optional.empty(), fetcher, clock, settings, Runnable::run);
  }

  @Test
  void keyForWhenFirstUseThenFetchesDiscoveryThenJwksOnce() {
    DiscoveryKeySource source = source();
    for (int i = 0; i < 100; i++) {
      assertThat(source.keyFor("k1")).hasValueSatisfying(k -> assertThat(k.isPrivate()).isFalse());
    }
    assertThat(fetcher.count(DISCOVERY)).isEqualTo(1);
    assertThat(fetcher.count(JWKS)).isEqualTo(1);
  }

  @Test
  void keyForWhenIssuerTrailingSlashThenDiscoveryUrlHasNoDoubleSlash() {
    fetcher.serveJson(DISCOVERY, "{\"issuer\":\"" + ISS + "/\",\"jwks_uri\":\"" + JWKS + "\"}");
    DiscoveryKeySource source =
        new DiscoveryKeySource(
            ISS + "/", Optional.empty(), fetcher, clock, settings, Runnable::run);
    assertThat(source.keyFor("k1")).isPresent();
    assertThat(fetcher.count(DISCOVERY)).isEqualTo(1);
  }

  @Test
  void keyForWhenDiscoveryUrlGivenThenItIsUsed() {
    String custom = "https://config.example/oidc";
    fetcher.serveJson(custom, "{\"issuer\":\"" + ISS + "\",\"jwks_uri\":\"" + JWKS + "\"}");
    DiscoveryKeySource source =
        new DiscoveryKeySource(ISS, Optional.of(custom), fetcher, clock, settings, Runnable::run);
    assertThat(source.keyFor("k1")).isPresent();
    assertThat(fetcher.count(custom)).isEqualTo(1);
    assertThat(fetcher.count(DISCOVERY)).isZero();
  }

  @Test
  void keyForWhenDiscoveryNamesAnotherIssuerThenIssuerUnavailable() {
    fetcher.serveJson(
        DISCOVERY, "{\"issuer\":\"https://evil.example\",\"jwks_uri\":\"" + JWKS + "\"}");
    assertThatThrownBy(() -> source().keyFor("k1"))
        .isInstanceOf(IssuerUnavailableException.class)
        .hasMessageContaining("names issuer \"https://evil.example\"");
    assertThat(fetcher.count(JWKS)).isZero();
  }

  @Test
  void keyForWhenAnswersAreNotUsableThenIssuerUnavailableWithCause() {
    record Bad(String name, FetchedDocument jwks, String message) {}
    List<Bad> cases =
        List.of(
            new Bad("html", new FetchedDocument(200, "text/html", "<html></html>"), "not JSON"),
            new Bad("500", new FetchedDocument(500, "application/json", "{}"), "HTTP 500"),
            new Bad(
                "private key",
                new FetchedDocument(200, "application/json", new JWKSet(KEY_1).toString(false)),
                "private key"),
            new Bad(
                "duplicate kid",
                new FetchedDocument(
                    200,
                    "application/json",
                    new JWKSet(List.of(KEY_1.toPublicJWK(), KEY_1.toPublicJWK())).toString()),
                "two keys with kid k1"),
            new Bad(
                "duplicate member",
                new FetchedDocument(200, "application/json", "{\"keys\":[],\"keys\":[]}"),
                "twice"));
    for (Bad bad : cases) {
      fetcher.serve(JWKS, bad.jwks());
      assertThatThrownBy(() -> source().keyFor("k1"))
          .as(bad.name())
          .isInstanceOf(IssuerUnavailableException.class)
          .hasMessageContaining(bad.message());
    }
  }

  @Test
  void keyForWhenFirstFetchFailsThenNoRetryBeforeCooldown() {
    fetcher.failWith("connection refused");
    DiscoveryKeySource source = source();
    assertThatThrownBy(() -> source.keyFor("k1"))
        .isInstanceOf(IssuerUnavailableException.class)
        .hasMessageContaining("connection refused");
    assertThatThrownBy(() -> source.keyFor("k1")).isInstanceOf(IssuerUnavailableException.class);
    assertThat(fetcher.count(DISCOVERY)).isEqualTo(1);
    fetcher.recover();
    clock.advance(Duration.ofSeconds(10));
    assertThat(source.keyFor("k1")).isPresent();
    assertThat(fetcher.count(DISCOVERY)).isEqualTo(2);
  }

  @Test
  void refreshIfDueWhenKeyRemovedThenRejectedWithinOneInterval() {
    DiscoveryKeySource source = source();
    assertThat(source.keyFor("k1")).isPresent();
    publish(KEY_2);
    clock.advance(Duration.ofSeconds(59));
    source.refreshIfDue();
    assertThat(fetcher.count(JWKS)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    source.refreshIfDue();
    assertThat(fetcher.count(JWKS)).isEqualTo(2);
    assertThat(source.keyFor("k1")).isEmpty();
    assertThat(source.keyFor("k2")).isPresent();
  }

  @Test
  void keyForWhenRefreshDueThenRefreshesInBackgroundAndServesCurrentKeysMeanwhile() {
    DiscoveryKeySource source = source();
    assertThat(source.keyFor("k1")).isPresent();
    publish(KEY_2);
    clock.advance(Duration.ofSeconds(60));
    assertThat(source.keyFor("k1")).isPresent(); // served from the snapshot the lookup started with
    assertThat(fetcher.count(JWKS)).isEqualTo(2);
    assertThat(source.keyFor("k1")).isEmpty();
  }

  @Test
  void keyForWhenIdleForTwoIntervalsThenRefreshesBeforeAnswering() {
    List<Runnable> queued = new java.util.ArrayList<>();
    DiscoveryKeySource source =
        new DiscoveryKeySource(ISS, Optional.empty(), fetcher, clock, settings, queued::add);
    source.prefetch();
    queued.removeFirst().run();
    assertThat(source.keyFor("k1")).isPresent();
    publish(KEY_2);
    clock.advance(Duration.ofSeconds(119));
    assertThat(source.keyFor("k1")).isPresent(); // a background refresh is queued, not run
    assertThat(fetcher.count(JWKS)).isEqualTo(1);
    assertThat(queued).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    // the one queued refresh is what the idle lookup waits for (single flight): run it meanwhile
    Thread.ofVirtual().start(queued.removeFirst());
    source.prepare(Optional.empty());
    assertThat(source.keyFor("k2"))
        .isPresent(); // found by the refresh before the lookup, not an unknown-kid fetch
    assertThat(fetcher.count(JWKS)).isEqualTo(2);
    assertThat(source.keyFor("k1")).isEmpty();
  }

  @Test
  void keyForWhenIdleDuringOutageThenServesCachedKeysWithoutWaiting() {
    DiscoveryKeySource source = source();
    assertThat(source.keyFor("k1")).isPresent();
    fetcher.failWith("connection refused");
    clock.advance(Duration.ofSeconds(60));
    source.refreshIfDue();
    clock.advance(Duration.ofMinutes(10));
    int before = fetcher.count(DISCOVERY);
    assertThat(source.keyFor("k1")).isPresent();
    assertThat(fetcher.count(DISCOVERY))
        .isEqualTo(before + 1); // the background attempt (direct executor), not a second one
  }

  @Test
  void keyForWhenUnknownKidFloodThenAtMostOneFetchPerCooldown() {
    DiscoveryKeySource source = source();
    assertThat(source.keyFor("k1")).isPresent();
    for (int i = 0; i < 1000; i++) {
      assertThat(source.keyFor("unknown-" + i)).isEmpty();
    }
    assertThat(fetcher.count(JWKS)).isEqualTo(2);
    clock.advance(Duration.ofSeconds(9));
    assertThat(source.keyFor("unknown-x")).isEmpty();
    assertThat(fetcher.count(JWKS)).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    assertThat(source.keyFor("unknown-y")).isEmpty();
    assertThat(fetcher.count(JWKS)).isEqualTo(3);
  }

  @Test
  void keyForWhenUnknownKidFloodIsConcurrentThenOneFetch() throws Exception {
    DiscoveryKeySource source = source();
    assertThat(source.keyFor("k1")).isPresent();
    CountDownLatch done = new CountDownLatch(8);
    for (int t = 0; t < 8; t++) {
      int id = t;
      Thread.ofVirtual()
          .start(
              () -> {
                for (int i = 0; i < 200; i++) {
                  source.keyFor("unknown-" + id + "-" + i);
                }
                done.countDown();
              });
    }
    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(fetcher.count(JWKS)).isEqualTo(2);
  }

  @Test
  void keyForWhenIssuerRotatedThenNewKidFoundByOneRefresh() {
    DiscoveryKeySource source = source();
    assertThat(source.keyFor("k1")).isPresent();
    publish(KEY_1, KEY_2);
    assertThat(source.keyFor("k2")).isPresent();
    assertThat(fetcher.count(JWKS)).isEqualTo(2);
  }

  @Test
  void keyForWhenIssuerDownThenLastKnownGoodServesUntilMaxStaleness() {
    DiscoveryKeySource source = source();
    assertThat(source.keyFor("k1")).isPresent();
    fetcher.failWith("connection refused");
    clock.advance(Duration.ofHours(2));
    source.refreshIfDue();
    assertThat(source.lastError()).contains("connection refused");
    assertThat(source.keyFor("k1")).isPresent();
    clock.advance(Duration.ofHours(22));
    assertThat(source.keyFor("k1")).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> source.keyFor("k1"))
        .isInstanceOf(IssuerUnavailableException.class)
        .hasMessageContaining("connection refused");
    fetcher.recover();
    clock.advance(Duration.ofSeconds(10));
    assertThat(source.keyFor("k1")).isPresent();
  }

  @Test
  void refreshIfDueWhenClosedThenDoesNothing() {
    DiscoveryKeySource source = source();
    assertThat(source.keyFor("k1")).isPresent();
    source.close();
    clock.advance(Duration.ofMinutes(5));
    source.refreshIfDue();
    assertThat(fetcher.count(JWKS)).isEqualTo(1);
  }

  @Test
  void keyForWhenUnknownKidWhileFetchInFlightThenAnswersWithoutWaiting() throws Exception {
    HeldFetcher slow = new HeldFetcher(fetcher);
    DiscoveryKeySource source =
        new DiscoveryKeySource(ISS, Optional.empty(), slow, clock, settings);
    source.prepare(Optional.empty());
    assertThat(source.keyFor("k1")).isPresent();
    slow.hold();
    clock.advance(Duration.ofSeconds(60));
    source.refreshIfDue();
    try {
      assertThat(slow.awaitInFlight(1, Duration.ofSeconds(2))).isTrue();

      java.util.concurrent.CompletableFuture<Optional<JWK>> lookup =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> source.keyFor("unknown"), Thread::startVirtualThread);

      assertThat(lookup.get(2, TimeUnit.SECONDS)).isEmpty();
      assertThat(fetcher.count(DISCOVERY))
          .isEqualTo(1); // only the first use got through; the refresh is still held
      assertThat(slow.entered()).as("no second fetch beside the held one").isEqualTo(3);
    } finally {
      slow.release();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (source.fetching() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(fetcher.count(DISCOVERY)).isEqualTo(2);
  }
}
