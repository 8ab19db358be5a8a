package dev.openwif.server.infra;

import dev.openwif.audit.AuditQueueStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The server's metrics registry (Micrometer, written as Prometheus text by {@link #scrape()}): the
 * JVM and process binders, build information and the gauges read from the server's state. The
 * meters the request paths update live in {@link ExchangeMetrics}, {@link HttpMetrics} and {@link
 * IssuerMetrics}, each registered here. Every label value comes from a bounded set: reason codes,
 * route patterns, HTTP statuses, provider ids (created by admins, so as many as providers exist),
 * never a token, a subject or a request path. Thread-safe.
 */
public final class WifMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();

  /**
   * @param version the build's version ({@code wif_build_info{version}})
   * @param crypto which cryptography provider signs and verifies ({@code wif_build_info{crypto}}):
   *     {@code jdk} until another one is wired
   */
  public WifMetrics(String version, String crypto) {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(crypto, "crypto");
    Gauge.builder("wif.build.info", () -> 1)
        .description("Always 1; its labels name the build's version and the crypto provider")
        .tags("version", version, "crypto", crypto)
        .register(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** The version this build's jar names, or {@code dev} when run from classes. */
  public static String buildVersion() {
    return Optional.ofNullable(WifMetrics.class.getPackage().getImplementationVersion())
        .orElse("dev");
  }

  /** The counters of the token endpoint. */
  public ExchangeMetrics exchanges() {
    return new ExchangeMetrics(registry);
  }

  /** The counters of every route (and of the {@code /v1} gateway's routes apart). */
  public HttpMetrics http() {
    return new HttpMetrics(registry);
  }

  /** The counters of issuer key fetches and the gauge of each provider's key age. */
  public IssuerMetrics issuers(Supplier<java.util.Map<String, java.time.Instant>> lastFetches) {
    IssuerMetrics issuers = new IssuerMetrics(registry, lastFetches);
    beforeScrape.add(issuers::refresh);
    return issuers;
  }

  /** {@code wif_gateway_upstream_duration_seconds}: upstream time to response headers. */
  public io.micrometer.core.instrument.Timer upstreamTimer() {
    return io.micrometer.core.instrument.Timer.builder("wif.gateway.upstream.duration")
        .description("Time the upstream API took to answer a proxied /v1 call (headers)")
        .serviceLevelObjectives(ExchangeMetrics.buckets(0.01, 300))
        .register(registry);
  }

  /** {@code wif_federation_snapshot_age_seconds}: the in-memory configuration's age. */
  public void snapshotAge(Supplier<Duration> age) {
    Gauge.builder("wif.federation.snapshot.age", () -> age.get().toMillis() / 1000.0)
        .description("Time since the federation configuration was last read from the database")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * {@code wif_gateway_upstream_credential_fresh} (1 while the gateway holds a valid upstream token
   * obtained by workload identity, else 0) and {@code
   * wif_gateway_upstream_credential_expiry_seconds} (how long it stays valid), read at each scrape.
   */
  public void upstreamCredential(
      java.util.function.BooleanSupplier fresh, java.util.function.LongSupplier secondsLeft) {
    Gauge.builder("wif.gateway.upstream.credential.fresh", () -> fresh.getAsBoolean() ? 1 : 0)
        .description("1 while the gateway holds a valid upstream token, 0 when it has none")
        .register(registry);
    Gauge.builder("wif.gateway.upstream.credential.expiry", secondsLeft::getAsLong)
        .description("How long the gateway's upstream token stays valid (0: none is)")
        .baseUnit("seconds")
        .register(registry);
  }

  /** The audit queue's depth and the events it dropped, read at each scrape. */
  public void auditQueue(Supplier<AuditQueueStatus> status) {
    Gauge.builder("wif.audit.queue.depth", () -> status.get().depth())
        .description("Audit events recorded but not yet stored")
        .register(registry);
    Gauge.builder("wif.audit.queue.capacity", () -> status.get().capacity())
        .description("The most audit events the queue holds")
        .register(registry);
    FunctionCounter.builder("wif.audit.events.dropped", status, s -> s.get().refused())
        .description(
            "Audit events not stored: refused (queue full, the request failed closed) or lost")
        .tag("cause", "refused")
        .register(registry);
    FunctionCounter.builder("wif.audit.events.dropped", status, s -> s.get().lost())
        .description(
            "Audit events not stored: refused (queue full, the request failed closed) or lost")
        .tag("cause", "lost")
        .register(registry);
  }

  /** The Prometheus text exposition of every meter (gauges refreshed first). */
  public String scrape() {
    beforeScrape.forEach(Runnable::run);
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
