package dev.openwif.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The life of a signing key, derived from its stored times and the clock (pure; no I/O):
 *
 * <ul>
 *   <li><b>active</b>: the newest key neither rotated out nor retired; it signs new tokens.
 *   <li><b>verifying</b>: rotated out; it signs nothing but still verifies, and is still published,
 *       until the last token it can have signed has expired: the rotation time plus the longest
 *       token lifetime plus {@link #CLOCK_SKEW}.
 *   <li><b>retired</b>: retired by an operator (its private part erased), or past its verify-until
 *       time. It verifies nothing and is not published.
 * </ul>
 *
 * <p>Keys stored before rotation recorded a verify-until time (several never-rotated-out keys) are
 * read as rotated out when the next key was created. Immutable; thread-safe.
 */
public final class SigningKeyLifecycle {
  /**
   * Added to the token lifetime before a rotated-out key stops verifying: covers clocks of nodes
   * that differ by a little and a node that keeps signing with the old key until it re-reads the
   * keys (every few seconds).
   */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private static final Comparator<StoredSigningKey> OLDEST_FIRST =
      Comparator.comparing(StoredSigningKey::createdAt).thenComparing(StoredSigningKey::kid);

  private final Duration maxTokenLifetime;

  /** The state of a key at one instant. */
  public enum State {
    ACTIVE,
    VERIFYING,
    RETIRED;

    /** {@code active}, {@code verifying} or {@code retired}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One key's state at one instant.
   *
   * @param verifiesUntil for a verifying key, when it stops verifying; for a key retired by the
   *     clock, when it did; empty for the active key (until it is rotated out) and for a key an
   *     operator retired ({@link StoredSigningKey#retiredAt()} says when)
   */
  public record Status(StoredSigningKey key, State state, Optional<Instant> verifiesUntil) {
    public Status {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(verifiesUntil, "verifiesUntil");
    }

    public String kid() {
      return key.kid();
    }
  }

  /**
   * @param maxTokenLifetime the longest lifetime of a token signed with these keys ({@code
   *     --token-ttl})
   */
  public SigningKeyLifecycle(Duration maxTokenLifetime) {
    Objects.requireNonNull(maxTokenLifetime, "maxTokenLifetime");
    if (maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
      throw new IllegalArgumentException("the token lifetime must be positive");
    }
    this.maxTokenLifetime = maxTokenLifetime;
  }

  /** Until when a key rotated out at {@code rotatedAt} verifies: lifetime plus skew after it. */
  public Instant verifyUntilAfterRotation(Instant rotatedAt) {
    return rotatedAt.plus(maxTokenLifetime).plus(CLOCK_SKEW);
  }

  /** Every key's state at {@code now}, oldest first. */
  public List<Status> statuses(List<StoredSigningKey> keys, Instant now) {
    List<StoredSigningKey> sorted = keys.stream().sorted(OLDEST_FIRST).toList();
    Optional<StoredSigningKey> active = active(sorted);
    List<Status> out = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      StoredSigningKey key = sorted.get(i);
      if (key.retiredAt().isPresent()) {
        out.add(new Status(key, State.RETIRED, Optional.empty()));
      } else if (active.isPresent() && active.get().kid().equals(key.kid())) {
        out.add(new Status(key, State.ACTIVE, Optional.empty()));
      } else {
        Instant until =
            key.verifyUntil()
                .or(() -> nextCreated(sorted, key).map(this::verifyUntilAfterRotation))
                .orElse(Instant.MAX); // unreachable: an older never-rotated key has a successor
        out.add(
            new Status(
                key, now.isBefore(until) ? State.VERIFYING : State.RETIRED, Optional.of(until)));
      }
    }
    return List.copyOf(out);
  }

  /** The key that signs: the newest one neither rotated out nor retired. */
  public Optional<StoredSigningKey> active(List<StoredSigningKey> keys) {
    return keys.stream()
        .filter(k -> k.verifyUntil().isEmpty() && k.retiredAt().isEmpty())
        .max(OLDEST_FIRST);
  }

  /** True when the active key is {@code interval} old or older at {@code now}. */
  public boolean rotationDue(List<StoredSigningKey> keys, Instant now, Duration interval) {
    return active(keys).map(k -> !now.isBefore(k.createdAt().plus(interval))).orElse(false);
  }

  /**
   * Why the key {@code kid} must not be retired at {@code now}, or empty when it may. The active
   * key is never retired (rotate first); a verifying key only with {@code force}, since tokens it
   * signed may still be unexpired and would be refused from then on.
   */
  public Optional<String> retireRefusal(
      List<StoredSigningKey> keys, String kid, Instant now, boolean force) {
    Optional<Status> found =
        statuses(keys, now).stream().filter(s -> s.kid().equals(kid)).findFirst();
    if (found.isEmpty()) {
      return Optional.of("no signing key with kid '" + kid + "'");
    }
    Status status = found.get();
    if (status.key().retiredAt().isPresent()) {
      return Optional.of(
          "signing key " + kid + " was retired already at " + status.key().retiredAt().get());
    }
    return switch (status.state()) {
      case ACTIVE ->
          Optional.of(
              "signing key "
                  + kid
                  + " is the active key (it signs new tokens): rotate first ('wif signing-keys"
                  + " rotate'), then retire it");
      case VERIFYING ->
          force
              ? Optional.empty()
              : Optional.of(
                  "signing key "
                      + kid
                      + " may still verify unexpired tokens until "
                      + status.verifiesUntil().orElseThrow()
                      + "; retire it after that time, or now with --force (those tokens are then"
                      + " refused)");
      case RETIRED -> Optional.empty();
    };
  }

  private static Optional<Instant> nextCreated(
      List<StoredSigningKey> sortedOldestFirst, StoredSigningKey key) {
    int index = sortedOldestFirst.indexOf(key);
    return index + 1 < sortedOldestFirst.size()
        ? Optional.of(sortedOldestFirst.get(index + 1).createdAt())
        : Optional.empty();
  }
}
