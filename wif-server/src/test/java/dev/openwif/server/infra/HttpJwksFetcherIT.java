package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.oidc.DiscoveryKeySource;
import dev.openwif.oidc.DiscoverySettings;
import dev.openwif.oidc.FetchedDocument;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.oidc.VerificationPolicy;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestIssuer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpJwksFetcherIT {
  private final TestIssuer issuer = TestIssuer.start();
  private final OutboundUrlGuard devGuard = new OutboundUrlGuard(true);
  private final HttpJwksFetcher fetcher =
      new HttpJwksFetcher(devGuard, Duration.ofSeconds(3), Duration.ofSeconds(5), 64 * 1024);

  @AfterEach
  void stop() {
    issuer.close();
  }

  @Test
  void fetchWhenIssuerHealthyThenReturnsJsonBody() throws IOException {
    FetchedDocument document = fetcher.fetch(URI.create(issuer.jwksUrl()));
    assertThat(document.status()).isEqualTo(200);
    assertThat(document.isJson()).isTrue();
    assertThat(document.body()).isEqualTo(issuer.jwksJson());
  }

  @Test
  void fetchWhenIssuerSlowThenTimesOutWithinTotalTimeout() {
    HttpJwksFetcher impatient =
        new HttpJwksFetcher(devGuard, Duration.ofSeconds(3), Duration.ofSeconds(1), 64 * 1024);
    issuer.respondSlowly(Duration.ofSeconds(8));
    long start = System.nanoTime();
    assertThatThrownBy(() -> impatient.fetch(URI.create(issuer.jwksUrl())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("took longer than 1000 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4000));
  }

  /**
   * The DNS lookup counts against the fetch's deadline: a hostile issuer's slow name server cannot
   * hold a fetch (and its slot in the issuer fetch pool) beyond the total timeout. The resolver
   * stub at the guard's seam answers after 8 s, unless interrupted; the fetch allows 1 s.
   */
  @Test
  void fetchWhenDnsLookupSlowerThanTheDeadlineThenFailsAtTheDeadlineNamingTheLookup()
      throws InterruptedException {
    CountDownLatch lookupAbandoned = new CountDownLatch(1);
    OutboundUrlGuard slowDns =
        new OutboundUrlGuard(
            true,
            host -> {
              try {
                Thread.sleep(Duration.ofSeconds(8));
              } catch (InterruptedException e) {
                lookupAbandoned.countDown();
                throw new UnknownHostException(host + ": lookup interrupted");
              }
              return new InetAddress[] {InetAddress.getLoopbackAddress()};
            });
    HttpJwksFetcher impatient =
        new HttpJwksFetcher(slowDns, Duration.ofSeconds(3), Duration.ofSeconds(1), 64 * 1024);
    long start = System.nanoTime();
    URI byName = URI.create(issuer.jwksUrl().replace("127.0.0.1", "localhost"));
    assertThatThrownBy(() -> impatient.fetch(byName))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("took longer than 1000 ms")
        .hasMessageContaining("DNS lookup of localhost timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the whole fetch, DNS lookup included, ends at its 1 s deadline")
        .isLessThan(Duration.ofMillis(2500));
    assertThat(lookupAbandoned.await(2, TimeUnit.SECONDS))
        .as("the lookup still running at the deadline is interrupted")
        .isTrue();
    assertThat(issuer.jwksFetchCount()).isZero();
  }

  @Test
  void fetchWhenBodyLargerThanCapThenRefused() {
    issuer.respondHuge(1024 * 1024);
    assertThatThrownBy(() -> fetcher.fetch(URI.create(issuer.jwksUrl())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("larger than 65536 bytes");
  }

  @Test
  void fetchWhenBodyWithinCapThenRead() throws IOException {
    issuer.respondHuge(60 * 1024);
    assertThat(fetcher.fetch(URI.create(issuer.jwksUrl())).body()).hasSize(60 * 1024);
  }

  @Test
  void fetchWhenThreeRedirectsThenFollowedToTheJwks() throws IOException {
    assertThat(fetcher.fetch(URI.create(issuer.redirectChainUrl(3))).body())
        .isEqualTo(issuer.jwksJson());
  }

  @Test
  void fetchWhenFourRedirectsThenRefused() {
    assertThatThrownBy(() -> fetcher.fetch(URI.create(issuer.redirectChainUrl(4))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("more than 3 redirects");
  }

  @Test
  void fetchWhenRedirectedToMetadataAddressThenRefusedBeforeConnecting() {
    issuer.redirectTo("http://169.254.169.254/computeMetadata/v1/");
    assertThatThrownBy(() -> fetcher.fetch(URI.create(issuer.jwksUrl())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("link-local");
  }

  @Test
  void fetchWhenHtmlThenReturnedAsNotJson() throws IOException {
    issuer.respondWithHtml();
    FetchedDocument document = fetcher.fetch(URI.create(issuer.jwksUrl()));
    assertThat(document.isJson()).isFalse();
    assertThat(document.contentType()).startsWith("text/html");
  }

  @Test
  void fetchWhenServerErrorThenStatusReturned() throws IOException {
    issuer.respondWithStatus(500);
    assertThat(fetcher.fetch(URI.create(issuer.jwksUrl())).status()).isEqualTo(500);
  }

  @Test
  void fetchWhenIssuerDownThenIOException() {
    issuer.goDown();
    assertThatThrownBy(() -> fetcher.fetch(URI.create(issuer.jwksUrl())))
        .isInstanceOf(IOException.class);
  }

  @Test
  void fetchWhenNotDevModeThenHttpLoopbackRefused() {
    HttpJwksFetcher production = new HttpJwksFetcher(new OutboundUrlGuard(false));
    assertThatThrownBy(() -> production.fetch(URI.create(issuer.jwksUrl())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("only https");
    assertThat(issuer.jwksFetchCount()).isZero();
  }

  @Test
  void discoveryKeySourceWhenBackedByHttpThenTokensVerifyAndRotationIsFollowed() {
    MutableClock clock = MutableClock.startingNow();
    try (DiscoveryKeySource keys =
        new DiscoveryKeySource(
            issuer.issuer(), Optional.empty(), fetcher, clock, DiscoverySettings.defaults())) {
      SubjectTokenVerifier verifier = new SubjectTokenVerifier(clock);
      VerificationPolicy policy = VerificationPolicy.defaults(issuer.issuer(), "aud-1");
      String first = issuer.token(issuer.standardClaims("aud-1", Duration.ofMinutes(10), clock));
      verifier.prepareKeys(first, policy, keys); // the lookup itself never waits for a fetch
      assertThat(verifier.verify(first, policy, keys).kid())
          .isEqualTo(issuer.currentKey().getKeyID());

      issuer.rotateKey();
      String second = issuer.token(issuer.standardClaims("aud-1", Duration.ofMinutes(10), clock));
      verifier.prepareKeys(second, policy, keys); // an unknown kid: one fetch, awaited here
      assertThat(verifier.verify(second, policy, keys).kid())
          .isEqualTo(issuer.currentKey().getKeyID());
      assertThat(issuer.jwksFetchCount()).isEqualTo(2);
      assertThat(issuer.discoveryFetchCount()).isEqualTo(2);
    }
  }
}
