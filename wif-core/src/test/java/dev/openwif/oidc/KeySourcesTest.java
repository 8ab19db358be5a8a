package dev.openwif.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySourcesTest {
  private static WorkloadIdentityProvider provider(Verification verification) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new WorkloadIdentityProvider(
        "wip_1",
        "gcp",
        Optional.empty(),
        "https://issuer.example",
        "aud",
        true,
        List.of(),
        verification,
        false,
        t,
        t);
  }

  @Test
  void forProviderWhenUploadedJwksThenUploadedSourceWithItsKeys() {
    var key = TestKeys.ec256("e1");
    KeySource source =
        KeySources.forProvider(
            provider(new Verification.UploadedJwks(new JWKSet(key.toPublicJWK()).toString())),
            new InMemoryJwksFetcher(),
            MutableClock.fixed(),
            DiscoverySettings.defaults());
    assertThat(source).isInstanceOf(UploadedJwksKeySource.class);
    assertThat(source.keyFor("e1")).isPresent();
  }

  @Test
  void forProviderWhenDiscoveryThenDiscoverySourceFetchingFromIssuer() {
    var fetcher = new InMemoryJwksFetcher();
    fetcher.serveJson(
        "https://issuer.example/.well-known/openid-configuration",
        "{\"issuer\":\"https://issuer.example\",\"jwks_uri\":\"https://issuer.example/jwks\"}");
    fetcher.serveJson(
        "https://issuer.example/jwks", new JWKSet(TestKeys.ec256("e2").toPublicJWK()).toString());
    KeySource source =
        KeySources.forProvider(
            provider(new Verification.Discovery(Optional.empty())),
            fetcher,
            MutableClock.fixed(),
            DiscoverySettings.defaults());
    assertThat(source).isInstanceOf(DiscoveryKeySource.class);
    source.prepare(Optional.empty());
    assertThat(source.keyFor("e2")).isPresent();
  }

  @Test
  void forProviderWhenDiscoveryThenFetchStartedOnTheExecutorBeforeFirstUse() {
    var fetcher = new InMemoryJwksFetcher();
    fetcher.serveJson(
        "https://issuer.example/.well-known/openid-configuration",
        "{\"issuer\":\"https://issuer.example\",\"jwks_uri\":\"https://issuer.example/jwks\"}");
    fetcher.serveJson(
        "https://issuer.example/jwks", new JWKSet(TestKeys.ec256("e3").toPublicJWK()).toString());
    List<Runnable> queued = new ArrayList<>();

    KeySource source =
        KeySources.forProvider(
            provider(new Verification.Discovery(Optional.empty())),
            fetcher,
            MutableClock.fixed(),
            DiscoverySettings.defaults(),
            queued::add);

    assertThat(queued).as("the prefetch, handed to the fetch executor").hasSize(1);
    assertThat(fetcher.count("https://issuer.example/jwks")).as("not on this thread").isZero();
    queued.removeFirst().run();
    assertThat(fetcher.count("https://issuer.example/jwks")).isEqualTo(1);
    assertThat(source.keyFor("e3")).isPresent();
    assertThat(fetcher.count("https://issuer.example/jwks"))
        .as("no fetch at first use")
        .isEqualTo(1);
    assertThat(queued).isEmpty();
  }

  @Test
  void forProviderWhenListenerGivenThenEachFetchIsReportedUnderTheProviderId() {
    var fetcher = new InMemoryJwksFetcher();
    List<String> reported = new ArrayList<>();
    IssuerFetchListener listener =
        (providerId, issuer, failure) ->
            reported.add(providerId + " " + issuer + " " + failure.orElse("ok"));
    KeySource failing =
        KeySources.forProvider(
            provider(new Verification.Discovery(Optional.empty())),
            fetcher,
            MutableClock.fixed(),
            DiscoverySettings.defaults(),
            Runnable::run,
            listener);
    fetcher.serveJson(
        "https://issuer.example/.well-known/openid-configuration",
        "{\"issuer\":\"https://issuer.example\",\"jwks_uri\":\"https://issuer.example/jwks\"}");
    fetcher.serveJson(
        "https://issuer.example/jwks", new JWKSet(TestKeys.ec256("e4").toPublicJWK()).toString());
    ((DiscoveryKeySource) failing).close();
    KeySource working =
        KeySources.forProvider(
            provider(new Verification.Discovery(Optional.empty())),
            fetcher,
            MutableClock.fixed(),
            DiscoverySettings.defaults(),
            Runnable::run,
            listener);

    assertThat(working.keyFor("e4")).isPresent();
    assertThat(reported).hasSize(2);
    assertThat(reported.get(0)).startsWith("wip_1 https://issuer.example ").doesNotEndWith(" ok");
    assertThat(reported.get(1)).isEqualTo("wip_1 https://issuer.example ok");
  }
}
