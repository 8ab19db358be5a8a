package dev.openwif.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Rotates and retires the server's signing keys on the {@link SigningKeyRepository}, following the
 * {@link SigningKeyLifecycle}: a rotation gives the active key its verify-until time and inserts a
 * new active key in one conditional write (so of several nodes, or a node and the CLI, only one
 * rotates); a retirement erases the key's private part. Used by {@code wif signing-keys} and by the
 * server's scheduled rotation. Thread-safe when the repository is.
 */
public final class SigningKeyRotation {
  private final SigningKeyRepository repository;
  private final SigningKeyLifecycle lifecycle;
  private final Clock clock;

  /**
   * What a rotation did: the key rotated out, until when it verifies, the new key and from when it
   * signs (until then the previous key keeps signing).
   */
  public record Rotated(
      String previousKid, Instant previousVerifiesUntil, String activeKid, Instant activatesAt) {}

  /**
   * @param repository the repository new keys are written through: the encrypting one when a master
   *     key is set
   */
  public SigningKeyRotation(
      SigningKeyRepository repository, SigningKeyLifecycle lifecycle, Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Every key's state now, oldest first. */
  public List<SigningKeyLifecycle.Status> list() {
    return lifecycle.statuses(repository.listAll(), clock.instant());
  }

  /**
   * How long a rotation publishes the new key before it signs. On a database several nodes share,
   * two of their poll intervals: every node with a working database connection re-reads the keys at
   * least once per interval (at once when a rotation is announced), so by then every live node
   * verifies the new key. Nothing for a single node's own file: it signs and verifies from the same
   * keys.
   *
   * @param pollInterval the nodes' {@code --sync-interval}
   * @param sharedByNodes true on PostgreSQL (several nodes may share it)
   */
  public static Duration publishAhead(Duration pollInterval, boolean sharedByNodes) {
    return sharedByNodes ? pollInterval.multipliedBy(2) : Duration.ZERO;
  }

  /**
   * Makes a new active key at once; the one it replaces verifies until its last token can have
   * expired. For a single node: {@link #rotate(Duration)} publishes the new key ahead of its use.
   *
   * @return empty when another writer rotated at the same moment (its key is then the active one)
   * @throws IllegalStateException as {@link #rotate(Duration)}
   */
  public Optional<Rotated> rotate() {
    return rotate(Duration.ZERO);
  }

  /**
   * Publishes a new key that signs from {@code activationDelay} on: until then the current key
   * keeps signing and the new one only verifies, so every node re-reading the keys within that
   * delay knows the new key before any token it signed exists. The current key verifies until its
   * last token can have expired (the new key's activation plus the token lifetime plus {@link
   * SigningKeyLifecycle#CLOCK_SKEW}).
   *
   * @return empty when another writer rotated at the same moment (its key is then the new one)
   * @throws IllegalStateException when there is no active key, when a rotation is already under way
   *     (a published key has not started signing yet), or when the stored keys are encrypted and
   *     this repository would write the new one in plain text (no master key)
   */
  public Optional<Rotated> rotate(Duration activationDelay) {
    Objects.requireNonNull(activationDelay, "activationDelay");
    if (activationDelay.isNegative()) {
      throw new IllegalArgumentException("the activation delay cannot be negative");
    }
    List<StoredSigningKey> keys = repository.listAll();
    refusePlainWriteAmongEncrypted(keys);
    Instant now = clock.instant();
    Optional<StoredSigningKey> pending = lifecycle.pending(keys, now);
    if (pending.isPresent()) {
      throw new IllegalStateException(
          "a rotation is already under way: signing key "
              + pending.get().kid()
              + " is published and starts signing at "
              + pending.get().activatesAt()
              + "; rotate again after that");
    }
    StoredSigningKey active =
        lifecycle
            .active(keys, now)
            .orElseThrow(() -> new IllegalStateException("there is no active signing key"));
    // whole milliseconds, as the stores keep them: the times returned (printed, audited) are the
    // very instants every node reads back and switches at; without a delay the key is active at
    // once
    Instant createdAt = now.truncatedTo(ChronoUnit.MILLIS);
    Instant activatesAt = wholeMillisecondOnOrAfter(createdAt.plus(activationDelay));
    Instant until = lifecycle.verifyUntilAfterRotation(activatesAt);
    StoredSigningKey next = SigningKeys.generate(createdAt).activatingAt(activatesAt);
    if (!repository.rotate(active.kid(), until, next)) {
      return Optional.empty();
    }
    return Optional.of(new Rotated(active.kid(), until, next.kid(), activatesAt));
  }

  /** {@code instant}, or the next whole millisecond when it has a fraction of one. */
  private static Instant wholeMillisecondOnOrAfter(Instant instant) {
    Instant floor = instant.truncatedTo(ChronoUnit.MILLIS);
    return floor.equals(instant) ? floor : floor.plusMillis(1);
  }

  /**
   * Rotates when the active key has signed for {@code interval} (the scheduled rotation), the new
   * key signing from {@code activationDelay} on.
   *
   * @return empty when no rotation was due, or another node rotated first
   */
  public Optional<Rotated> rotateIfDue(Duration interval, Duration activationDelay) {
    if (!rotationDue(interval)) {
      return Optional.empty();
    }
    return rotate(activationDelay);
  }

  /**
   * True when the active key has signed for {@code interval} or longer now and no rotation is under
   * way (read only).
   */
  public boolean rotationDue(Duration interval) {
    return lifecycle.rotationDue(repository.listAll(), clock.instant(), interval);
  }

  /** The result of {@link #retire}: done, or refused with the reason. */
  public sealed interface Retirement {
    /** The key was retired. */
    record Done(String kid) implements Retirement {}

    /** The key was not retired, for this reason (for the operator). */
    record Refused(String reason) implements Retirement {}
  }

  /**
   * Retires the key {@code kid}: it verifies nothing from then on and its private part is erased.
   * Refused for the active key, and for a verifying key unless {@code force}.
   */
  public Retirement retire(String kid, boolean force) {
    Objects.requireNonNull(kid, "kid");
    Instant now = clock.instant();
    Optional<String> refusal = lifecycle.retireRefusal(repository.listAll(), kid, now, force);
    if (refusal.isPresent()) {
      return new Retirement.Refused(refusal.get());
    }
    if (!repository.retire(kid, now)) {
      return new Retirement.Refused("signing key " + kid + " was retired meanwhile");
    }
    return new Retirement.Done(kid);
  }

  private static void refusePlainWriteAmongEncrypted(List<StoredSigningKey> keys) {
    for (StoredSigningKey key : keys) {
      if (EncryptedSigningKeyRepository.isEncrypted(key.privateJwkJson())) {
        throw new IllegalStateException(
            "the signing keys in this database are encrypted (stored signing key "
                + key.kid()
                + "): set WIF_MASTER_KEY to the master key they were stored with, so the new key"
                + " is encrypted too");
      }
    }
  }
}
