package dev.openwif.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AggregatingAuditSinkTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T10:00:05Z"));
  private final List<AuditEvent> stored = new CopyOnWriteArrayList<>();
  private final AtomicInteger storeFlushes = new AtomicInteger();
  private final AuditSink store =
      new AuditSink() {
        @Override
        public void record(AuditEvent event) {
          stored.add(event);
        }

        @Override
        public void flush() {
          storeFlushes.incrementAndGet();
        }
      };
  private final AggregatingAuditSink sink = new AggregatingAuditSink(store, clock, 3);
  private int ids;

  private AuditEvent.ExchangeAttempt refusal(String address, ReasonCode reason, String detail) {
    return new AuditEvent.ExchangeAttempt(
        "audit_" + ++ids,
        clock.instant(),
        Optional.of(reason),
        detail,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(address));
  }

  private List<AuditEvent.ExchangeAttempt> storedAttempts() {
    return stored.stream().map(AuditEvent.ExchangeAttempt.class::cast).toList();
  }

  @Test
  void refusalsBeforeAuthenticationFromOneAddressMakeOneRowPerReasonAndMinute() {
    for (int i = 0; i < 1000; i++) {
      sink.record(refusal("203.0.113.7", ReasonCode.INVALID_REQUEST, "bad body " + i));
      sink.record(refusal("203.0.113.7", ReasonCode.RATE_LIMITED, "rate limit"));
    }
    sink.flushDue();
    assertThat(stored).as("nothing before the minute is over").isEmpty();

    clock.set(Instant.parse("2026-01-01T10:01:00Z"));
    sink.flushDue();

    assertThat(storedAttempts())
        .extracting(a -> a.reason().orElseThrow(), AuditEvent.ExchangeAttempt::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ReasonCode.INVALID_REQUEST, 1000L),
            org.assertj.core.groups.Tuple.tuple(ReasonCode.RATE_LIMITED, 1000L));
    AuditEvent.ExchangeAttempt first = storedAttempts().get(0);
    assertThat(first.detail()).isEqualTo("bad body 0");
    assertThat(first.id()).isEqualTo("audit_1");
    assertThat(first.occurredAt()).isEqualTo(Instant.parse("2026-01-01T10:00:05Z"));
    assertThat(sink.pendingKeys()).isZero();
  }

  @Test
  void eachMinuteHasItsOwnRowAndOnlyFinishedMinutesAreFlushedByTheTimer() {
    sink.record(refusal("a", ReasonCode.MALFORMED_TOKEN, "m"));
    clock.advance(Duration.ofMinutes(1));
    sink.record(refusal("a", ReasonCode.MALFORMED_TOKEN, "m"));
    sink.record(refusal("a", ReasonCode.MALFORMED_TOKEN, "m"));
    sink.flushDue();
    assertThat(storedAttempts()).extracting(AuditEvent.ExchangeAttempt::count).containsExactly(1L);
    clock.advance(Duration.ofMinutes(1));
    sink.flushDue();
    assertThat(storedAttempts())
        .extracting(AuditEvent.ExchangeAttempt::count)
        .containsExactly(1L, 2L);
  }

  @Test
  void eventsAfterAuthenticationSuccessesAndAdminChangesPassStraightThrough() {
    sink.record(refusal("a", ReasonCode.NO_MATCHING_RULE, "no rule"));
    sink.record(refusal("a", ReasonCode.EXPIRED, "expired"));
    sink.record(refusal("a", ReasonCode.INTERNAL_ERROR, "fault"));
    sink.record(
        new AuditEvent.AdminChange("audit_x", clock.instant(), "project.created", "k", "p", "{}"));
    sink.record(
        new AuditEvent.ExchangeAttempt(
            "audit_y",
            clock.instant(),
            Optional.empty(),
            "issued",
            Optional.of("wip"),
            Optional.of("rule"),
            Optional.of("sa"),
            Optional.of("sub"),
            Optional.of("hash"),
            Optional.of("jti"),
            Optional.of("a")));
    assertThat(stored).hasSize(5);
    assertThat(sink.pendingKeys()).isZero();
  }

  @Test
  void flushStoresTheCurrentMinuteTooThenFlushesTheStore() {
    sink.record(refusal("a", ReasonCode.SIGNATURE_INVALID, "sig"));
    sink.record(refusal("a", ReasonCode.SIGNATURE_INVALID, "sig"));
    sink.flush();
    assertThat(storedAttempts()).extracting(AuditEvent.ExchangeAttempt::count).containsExactly(2L);
    assertThat(storeFlushes).hasValue(1);
    sink.record(refusal("a", ReasonCode.SIGNATURE_INVALID, "sig"));
    sink.flush();
    assertThat(storedAttempts())
        .extracting(AuditEvent.ExchangeAttempt::count)
        .containsExactly(2L, 1L);
  }

  @Test
  void pastMaxKeysRefusalsFoldIntoOneOverflowRowPerMinuteAndCountsAddUp() {
    for (int address = 0; address < 1000; address++) {
      sink.record(refusal("198.51.100." + address, ReasonCode.PROVIDER_UNKNOWN, "no provider"));
      sink.record(refusal("198.51.100." + address, ReasonCode.PROVIDER_UNKNOWN, "no provider"));
    }
    assertThat(sink.pendingKeys()).isEqualTo(3 + 1);
    clock.advance(Duration.ofMinutes(1));
    sink.flushDue();

    List<AuditEvent.ExchangeAttempt> rows = storedAttempts();
    assertThat(rows).hasSize(4);
    assertThat(rows.stream().mapToLong(AuditEvent.ExchangeAttempt::count).sum()).isEqualTo(2000);
    AuditEvent.ExchangeAttempt overflow = rows.get(3);
    assertThat(overflow.count()).isEqualTo(2000 - 3 * 2);
    assertThat(overflow.clientAddress()).isEmpty();
    assertThat(overflow.reason()).contains(ReasonCode.PROVIDER_UNKNOWN);
    assertThat(overflow.detail()).startsWith("refusals before authentication past the 3 distinct");
  }

  @Test
  void countedRowsAreStoredOnceEvenWhenFlushedFromManyThreads() throws Exception {
    Thread[] writers = new Thread[4];
    for (int t = 0; t < writers.length; t++) {
      writers[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  sink.record(refusal("a", ReasonCode.RATE_LIMITED, "r"));
                  if (i % 1000 == 0) {
                    sink.flush();
                  }
                }
              });
      writers[t].start();
    }
    for (Thread w : writers) {
      w.join(Duration.ofSeconds(30));
    }
    sink.flush();
    assertThat(storedAttempts().stream().mapToLong(AuditEvent.ExchangeAttempt::count).sum())
        .isEqualTo(40_000);
  }

  @Test
  void countedRowsTheStoreRefusesAreKeptAndStoredAtTheNextFlush() {
    AtomicInteger refusalsLeft = new AtomicInteger(1);
    List<AuditEvent> accepted = new CopyOnWriteArrayList<>();
    AuditSink stalled =
        event -> {
          if (refusalsLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("audit queue full");
          }
          accepted.add(event);
        };
    AggregatingAuditSink counting = new AggregatingAuditSink(stalled, clock, 3);
    for (int i = 0; i < 5; i++) {
      counting.record(refusal("203.0.113.7", ReasonCode.INVALID_REQUEST, "bad"));
      counting.record(refusal("203.0.113.8", ReasonCode.INVALID_REQUEST, "bad"));
    }
    clock.set(Instant.parse("2026-01-01T10:01:00Z"));

    org.assertj.core.api.Assertions.assertThatThrownBy(counting::flushDue)
        .hasMessage("audit queue full");
    assertThat(accepted).isEmpty();
    assertThat(counting.pendingKeys()).as("both rows held back").isEqualTo(2);

    counting.flushDue();

    assertThat(accepted)
        .map(AuditEvent.ExchangeAttempt.class::cast)
        .extracting(AuditEvent.ExchangeAttempt::count)
        .containsExactly(5L, 5L);
    assertThat(counting.pendingKeys()).isZero();
    assertThat(counting.droppedRefusals()).isZero();
  }

  private AuditEvent.ExchangeAttempt refusalFor(String provider, ReasonCode reason) {
    return new AuditEvent.ExchangeAttempt(
        "audit_" + ++ids,
        clock.instant(),
        Optional.of(reason),
        "refused",
        Optional.of(provider),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of("203.0.113.7"));
  }

  @Test
  void issuerRefusalsForTwoProvidersFromOneAddressMakeOneRowEachNamingItsProvider() {
    AggregatingAuditSink counting = new AggregatingAuditSink(store, clock, 100);
    for (int i = 0; i < 3; i++) {
      counting.record(refusalFor("wip_a", ReasonCode.ISSUER_UNAVAILABLE));
      counting.record(refusalFor("wip_b", ReasonCode.ISSUER_UNAVAILABLE));
      counting.record(refusalFor("made-up-" + i, ReasonCode.PROVIDER_UNKNOWN));
    }
    counting.flush();

    assertThat(storedAttempts())
        .extracting(
            a -> a.reason().orElseThrow(),
            a -> a.providerId().orElse(""),
            AuditEvent.ExchangeAttempt::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ReasonCode.ISSUER_UNAVAILABLE, "wip_a", 3L),
            org.assertj.core.groups.Tuple.tuple(ReasonCode.ISSUER_UNAVAILABLE, "wip_b", 3L),
            org.assertj.core.groups.Tuple.tuple(ReasonCode.PROVIDER_UNKNOWN, "made-up-0", 3L));
  }
}
