package dev.openwif.server.infra;

import dev.openwif.oidc.IssuerFetchListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Issuer key fetches: {@code wif_jwks_fetches_total{provider,result}} (result {@code ok} or {@code
 * error}) and {@code wif_jwks_key_age_seconds{provider}}, the time since each discovery provider's
 * keys were last fetched, recomputed at each scrape from the providers in force (a deleted provider
 * disappears). Providers are created by admins, so their ids are a bounded label. Thread-safe.
 */
public final class IssuerMetrics implements IssuerFetchListener {
  private final MeterRegistry registry;
  private final Supplier<Map<String, Instant>> lastFetches;
  private final MultiGauge keyAge;
  private final Clock clock = Clock.systemUTC();

  IssuerMetrics(MeterRegistry registry, Supplier<Map<String, Instant>> lastFetches) {
    this.registry = registry;
    this.lastFetches = lastFetches;
    this.keyAge =
        MultiGauge.builder("wif.jwks.key.age")
            .description("Time since each discovery provider's keys were last fetched")
            .baseUnit("seconds")
            .register(registry);
  }

  @Override
  public void fetchEnded(String providerId, String issuer, Optional<String> failure) {
    // rare (a fetch per provider per refresh interval): looking the counter up is fine here
    Counter.builder("wif.jwks.fetches")
        .description("Fetches of issuers' discovery documents and keys, by provider and result")
        .tags("provider", providerId, "result", failure.isPresent() ? "error" : "ok")
        .register(registry)
        .increment();
  }

  /** Replaces the key-age rows with the providers in force now. */
  void refresh() {
    Instant now = clock.instant();
    keyAge.register(
        lastFetches.get().entrySet().stream()
            .map(
                e ->
                    MultiGauge.Row.of(
                        Tags.of("provider", e.getKey()),
                        Duration.between(e.getValue(), now).toMillis() / 1000.0))
            .toList(),
        true);
  }
}
