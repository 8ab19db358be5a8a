package dev.openwif.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests move by hand. Thread-safe: the instant is held in an atomic reference,
 * so a test thread may advance it while the code under test reads it.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock standing at {@code start}, in UTC. */
  public static MutableClock at(Instant start) {
    return new MutableClock(
        new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /** A clock standing at a fixed, arbitrary instant (2026-01-01T00:00:00Z), in UTC. */
  public static MutableClock fixed() {
    return at(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * A clock standing at the real current instant, truncated to whole seconds (JWT times are
   * seconds).
   */
  public static MutableClock startingNow() {
    return at(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }

  /** Sets the current instant. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /**
   * Moves the clock by {@code amount} (negative amounts move it back) and returns the new instant.
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    return now.updateAndGet(current -> current.plus(amount));
  }

  @Override
  public Instant instant() {
    // Never null: at() and set() reject null, and advance() stores the result of Instant.plus.
    return Objects.requireNonNull(now.get(), "now");
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view in another zone that shares this clock's instant (moving one moves both). */
  @Override
  public Clock withZone(ZoneId otherZone) {
    return new MutableClock(now, Objects.requireNonNull(otherZone, "zone"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
