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
 *   <li><b>pending</b>: created by a rotation but not allowed to sign before its activation time.
 *       It is already published and verifies, so every node that re-reads the keys before then
 *       knows it before the first token it signs exists.
 *   <li><b>active</b>: the newest activated key not retired; it signs new tokens. During a rotation
 *       the outgoing key stays active until the pending one activates.
 *   <li><b>verifying</b>: rotated out; it signs nothing but still verifies, and is still published,
 *       until the last token it can have signed has expired: the successor's activation time plus
 *       the longest token lifetime plus {@link #CLOCK_SKEW}.
 *   <li><b>retired</b>: retired by an operator (its private part erased), or past its verify-until
 *       time. It verifies nothing and is not published.
 * </ul>
 *
 * <p>Keys stored before rotation recorded a verify-until time (several never-rotated-out keys) are
 * read as rotated out when the next key was created; keys stored before activation times were
 * recorded activate when created. Immutable; thread-safe.
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
    PENDING,
    ACTIVE,
    VERIFYING,
    RETIRED;

    /** {@code pending}, {@code active}, {@code verifying} or {@code retired}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One key's state at one instant.
   *
   * @param verifiesUntil for a verifying key, when it stops verifying; for a key retired by the
   *     clock, when it did; for the active key while its successor is pending, when it will stop
   *     verifying; empty for a pending key, for the active key with no successor, and for a key an
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

  /**
   * Until when a key replaced by a successor that signs from {@code successorActivatesAt} verifies:
   * lifetime plus skew after that.
   */
  public Instant verifyUntilAfterRotation(Instant successorActivatesAt) {
    return successorActivatesAt.plus(maxTokenLifetime).plus(CLOCK_SKEW);
  }

  /** Every key's state at {@code now}, oldest first. */
  public List<Status> statuses(List<StoredSigningKey> keys, Instant now) {
    List<StoredSigningKey> sorted = keys.stream().sorted(OLDEST_FIRST).toList();
    Optional<StoredSigningKey> active = active(sorted, now);
    List<Status> out = new ArrayList<>(sorted.size());
    for (StoredSigningKey key : sorted) {
      if (key.retiredAt().isPresent()) {
        out.add(new Status(key, State.RETIRED, Optional.empty()));
      } else if (active.isPresent() && active.get().kid().equals(key.kid())) {
        out.add(new Status(key, State.ACTIVE, key.verifyUntil()));
      } else if (key.activatesAt().isAfter(now)) {
        out.add(new Status(key, State.PENDING, Optional.empty()));
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

  /**
   * The key that signs at {@code now}: the newest activated key that is neither retired nor rotated
   * out, where a key rotated out in favour of a pending successor still counts until that one
   * activates.
   */
  public Optional<StoredSigningKey> active(List<StoredSigningKey> keys, Instant now) {
    boolean successorPending = pending(keys, now).isPresent();
    return keys.stream()
        .filter(k -> k.retiredAt().isEmpty() && !k.activatesAt().isAfter(now))
        .filter(
            k ->
                k.verifyUntil().isEmpty()
                    || (successorPending && now.isBefore(k.verifyUntil().get())))
        .max(OLDEST_FIRST);
  }

  /**
   * The key a rotation published that does not sign yet at {@code now}, if any: of several (only
   * clocks far apart could make two), the one that activates first, the one {@link SigningKeys}
   * switches to.
   */
  public Optional<StoredSigningKey> pending(List<StoredSigningKey> keys, Instant now) {
    return keys.stream()
        .filter(k -> k.retiredAt().isEmpty() && k.activatesAt().isAfter(now))
        .min(Comparator.comparing(StoredSigningKey::activatesAt).thenComparing(OLDEST_FIRST));
  }

  /**
   * True when the active key has signed for {@code interval} or longer at {@code now} and no
   * rotation is under way (no pending key).
   */
  public boolean rotationDue(List<StoredSigningKey> keys, Instant now, Duration interval) {
    if (pending(keys, now).isPresent()) {
      return false;
    }
    return active(keys, now).map(k -> !now.isBefore(k.activatesAt().plus(interval))).orElse(false);
  }

  /**
   * Why the key {@code kid} must not be retired at {@code now}, or empty when it may. The active
   * key is never retired (rotate first), nor a pending one (the active key is already rotated out
   * in its favour); a verifying key only with {@code force}, since tokens it signed may still be
   * unexpired and would be refused from then on.
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
      case PENDING ->
          Optional.of(
              "signing key "
                  + kid
                  + " is pending: published, it starts signing at "
                  + status.key().activatesAt()
                  + "; retire it after it has been rotated out");
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
