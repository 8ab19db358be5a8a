package dev.openwif.server.infra;

import dev.openwif.audit.ReasonCode;
import dev.openwif.server.sts.ExchangeObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The token endpoint's meters: {@code wif_token_exchanges_total{outcome,reason}} (outcome {@code
 * issued}, {@code rejected} or {@code failed}; reason a {@link ReasonCode} code, {@code none} or
 * {@code audit_unavailable}), {@code wif_token_exchange_duration_seconds} (histogram) and {@code
 * wif_admission_rejections_total} (exchanges refused because every admission slot was busy). Every
 * counter is registered up front, so recording is a map read and two increments, no allocation.
 * Thread-safe.
 */
public final class ExchangeMetrics implements ExchangeObserver {
  private final Counter issued;
  private final Counter unaudited;
  private final Map<ReasonCode, Counter> rejected = new EnumMap<>(ReasonCode.class);
  private final Counter admission;
  private final Timer duration;

  ExchangeMetrics(MeterRegistry registry) {
    String name = "wif.token.exchanges";
    String description = "Token exchange attempts by outcome and internal reason code";
    this.issued =
        Counter.builder(name)
            .description(description)
            .tags("outcome", "issued", "reason", "none")
            .register(registry);
    this.unaudited =
        Counter.builder(name)
            .description(description)
            .tags("outcome", "failed", "reason", "audit_unavailable")
            .register(registry);
    for (ReasonCode reason : ReasonCode.values()) {
      rejected.put(
          reason,
          Counter.builder(name)
              .description(description)
              .tags(
                  "outcome",
                  reason == ReasonCode.INTERNAL_ERROR ? "failed" : "rejected",
                  "reason",
                  reason.code())
              .register(registry));
    }
    this.admission =
        Counter.builder("wif.admission.rejections")
            .description("Token exchanges refused (503) because every admission slot was busy")
            .register(registry);
    this.duration =
        Timer.builder("wif.token.exchange.duration")
            .description("Time the token endpoint took per attempt, body read to answer chosen")
            .serviceLevelObjectives(buckets(0.0005, 10))
            .register(registry);
  }

  @Override
  public void issued(long nanos) {
    issued.increment();
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void rejected(ReasonCode reason, long nanos) {
    Counter counter = rejected.get(reason);
    if (counter != null) {
      counter.increment();
    }
    if (reason == ReasonCode.OVERLOADED) {
      admission.increment();
    }
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void unaudited(long nanos) {
    unaudited.increment();
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Histogram bounds from {@code minSeconds} to {@code maxSeconds}: 1, 2.5, 5 per decade. */
  static Duration[] buckets(double minSeconds, double maxSeconds) {
    List<Duration> bounds = new ArrayList<>();
    for (double decade = 1e-4; decade <= maxSeconds; decade *= 10) {
      for (double step : new double[] {1, 2.5, 5}) {
        double seconds = decade * step;
        if (seconds >= minSeconds * 0.999 && seconds <= maxSeconds * 1.001) {
          bounds.add(Duration.ofNanos(Math.round(seconds * 1e9)));
        }
      }
    }
    return bounds.toArray(Duration[]::new);
  }
}
