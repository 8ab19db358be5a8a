package dev.openwif.audit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An audit sink in front of the store that counts refusals anyone can cause at will — those made
 * before the subject token is authenticated ({@link ReasonCode#beforeAuthentication()}: malformed
 * requests, unknown providers, bad signatures, rate limits, overload) — instead of storing one row
 * each: per clock minute, client address and reason it keeps the first such refusal and a count,
 * and hands the store one {@link AuditEvent.ExchangeAttempt} with that {@code count} once the
 * minute is over ({@link #flushDue}, called by a timer) or when asked ({@link #flush}, before an
 * audit query and at shutdown). Every other event passes straight through.
 *
 * <p>Memory is bounded: at most {@code maxKeys} (minute, address, reason) tallies are held; a
 * refusal that would need another is counted in that minute's single overflow row instead (no
 * address, the first overflowing refusal's reason, a detail saying so). So a flood from many
 * addresses costs at most {@code maxKeys} + 1 rows a minute, and one from a single address at most
 * one row per reason a minute.
 *
 * <p>Pure: no thread of its own; time comes from the clock. Thread-safe.
 */
public final class AggregatingAuditSink implements AuditSink {
  private static final long MINUTE_MILLIS = 60_000;

  private final AuditSink store;
  private final Clock clock;
  private final int maxKeys;
  private final Object lock = new Object();

  /** Guarded by {@link #lock}; in insertion order, so rows are stored in first-seen order. */
  private final Map<Key, Tally> tallies = new LinkedHashMap<>();

  /** Guarded by {@link #lock}: per minute, the refusals past {@link #maxKeys}. */
  private final Map<Long, Tally> overflow = new LinkedHashMap<>();

  /**
   * Guarded by {@link #lock}: counted rows the store refused (its queue full during a database
   * stall), stored first at the next flush; at most {@code maxKeys}, beyond that dropped and
   * counted in {@link #dropped}.
   */
  private final List<AuditEvent.ExchangeAttempt> unstored = new ArrayList<>();

  /** Guarded by {@link #lock}: counted rows dropped because {@link #unstored} was full. */
  private long dropped;

  /**
   * What one counted row stands for. {@code provider} is set only for refusals about a provider
   * that exists (its issuer unavailable or its keys pending), so their rows name the right
   * provider; for other reasons the provider id is whatever the client sent and is not part of the
   * key, so made-up ids cannot multiply the rows.
   */
  private record Key(long minute, String address, ReasonCode reason, String provider) {}

  private static final class Tally {
    final AuditEvent.ExchangeAttempt first;
    long count;

    Tally(AuditEvent.ExchangeAttempt first) {
      this.first = first;
    }
  }

  /**
   * @param store where events go: the counted rows, and every other event at once
   * @param maxKeys the most (minute, address, reason) tallies held at once, at least 1
   */
  public AggregatingAuditSink(AuditSink store, Clock clock, int maxKeys) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1");
    }
    this.maxKeys = maxKeys;
  }

  @Override
  public void record(AuditEvent event) {
    if (!(event instanceof AuditEvent.ExchangeAttempt attempt)
        || attempt.reason().isEmpty()
        || !attempt.reason().get().beforeAuthentication()
        || attempt.count() != 1) {
      store.record(event);
      return;
    }
    long minute = Math.floorDiv(clock.millis(), MINUTE_MILLIS);
    ReasonCode reason = attempt.reason().get();
    String provider =
        reason == ReasonCode.ISSUER_UNAVAILABLE || reason == ReasonCode.ISSUER_KEYS_PENDING
            ? attempt.providerId().orElse("")
            : "";
    Key key = new Key(minute, attempt.clientAddress().orElse(""), reason, provider);
    synchronized (lock) {
      Tally tally = tallies.get(key);
      if (tally == null) {
        tally =
            tallies.size() < maxKeys
                ? tallies.computeIfAbsent(key, k -> new Tally(attempt))
                : overflow.computeIfAbsent(minute, m -> new Tally(overflowed(attempt)));
      }
      tally.count++;
    }
  }

  /** Stores the counted rows of the minutes that are over. Called by a timer. */
  public void flushDue() {
    long current = Math.floorDiv(clock.millis(), MINUTE_MILLIS);
    List<AuditEvent.ExchangeAttempt> due = new ArrayList<>();
    synchronized (lock) {
      take(tallies.entrySet().iterator(), e -> e.getKey().minute() < current, due);
      take(overflow.entrySet().iterator(), e -> e.getKey() < current, due);
    }
    store(due);
  }

  /**
   * Stores every counted row, the current minute's too (later refusals of this minute start a new
   * row), then flushes the store: an audit query made next sees every refusal recorded before.
   */
  @Override
  public void flush() {
    List<AuditEvent.ExchangeAttempt> all = new ArrayList<>();
    synchronized (lock) {
      take(tallies.entrySet().iterator(), e -> true, all);
      take(overflow.entrySet().iterator(), e -> true, all);
    }
    store(all);
    store.flush();
  }

  /**
   * Hands the store the rows held back by an earlier failure, then these. When the store refuses
   * one (a {@link RuntimeException}, e.g. its queue is full), it and the rows after it are kept for
   * the next flush (bounded) and the failure is rethrown: counted refusals are not lost to a short
   * database stall.
   */
  private void store(List<AuditEvent.ExchangeAttempt> rows) {
    List<AuditEvent.ExchangeAttempt> pending;
    synchronized (lock) {
      pending = new ArrayList<>(unstored);
      unstored.clear();
    }
    pending.addAll(rows);
    for (int i = 0; i < pending.size(); i++) {
      try {
        store.record(pending.get(i));
      } catch (RuntimeException refused) {
        keepForLater(pending.subList(i, pending.size()));
        throw refused;
      }
    }
  }

  private void keepForLater(List<AuditEvent.ExchangeAttempt> rows) {
    synchronized (lock) {
      for (AuditEvent.ExchangeAttempt row : rows) {
        if (unstored.size() < maxKeys) {
          unstored.add(row);
        } else {
          dropped += row.count();
        }
      }
    }
  }

  /** Counted refusals dropped because the store refused them and the hold-back list was full. */
  public long droppedRefusals() {
    synchronized (lock) {
      return dropped;
    }
  }

  /** The tallies held now (for tests and monitoring). */
  public int pendingKeys() {
    synchronized (lock) {
      return tallies.size() + overflow.size() + unstored.size();
    }
  }

  private static <K> void take(
      Iterator<Map.Entry<K, Tally>> entries,
      java.util.function.Predicate<Map.Entry<K, Tally>> due,
      List<AuditEvent.ExchangeAttempt> into) {
    while (entries.hasNext()) {
      Map.Entry<K, Tally> e = entries.next();
      if (due.test(e)) {
        into.add(e.getValue().first.counted(e.getValue().count));
        entries.remove();
      }
    }
  }

  /** The overflow row's first event: no address or ids, a detail naming the overflow. */
  private AuditEvent.ExchangeAttempt overflowed(AuditEvent.ExchangeAttempt first) {
    return new AuditEvent.ExchangeAttempt(
        first.id(),
        first.occurredAt(),
        first.reason(),
        "refusals before authentication past the "
            + maxKeys
            + " distinct (client address, reason) pairs counted this minute, from any address and"
            + " for any reason; the first was: "
            + first.detail(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
