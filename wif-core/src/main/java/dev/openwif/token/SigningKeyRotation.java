package dev.openwif.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

  /** What a rotation did: the key rotated out and the new active key. */
  public record Rotated(String previousKid, Instant previousVerifiesUntil, String activeKid) {}

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
   * Makes a new active key; the one it replaces verifies until its last token can have expired.
   *
   * @return empty when another writer rotated at the same moment (its key is then the active one)
   * @throws IllegalStateException when there is no active key, or when the stored keys are
   *     encrypted and this repository would write the new one in plain text (no master key)
   */
  public Optional<Rotated> rotate() {
    List<StoredSigningKey> keys = repository.listAll();
    refusePlainWriteAmongEncrypted(keys);
    StoredSigningKey active =
        lifecycle
            .active(keys)
            .orElseThrow(() -> new IllegalStateException("there is no active signing key"));
    Instant now = clock.instant();
    Instant until = lifecycle.verifyUntilAfterRotation(now);
    StoredSigningKey next = SigningKeys.generate(now);
    if (!repository.rotate(active.kid(), until, next)) {
      return Optional.empty();
    }
    return Optional.of(new Rotated(active.kid(), until, next.kid()));
  }

  /**
   * Rotates when the active key is {@code interval} old: the scheduled rotation.
   *
   * @return empty when no rotation was due, or another node rotated first
   */
  public Optional<Rotated> rotateIfDue(Duration interval) {
    if (!rotationDue(interval)) {
      return Optional.empty();
    }
    return rotate();
  }

  /** True when the active key is {@code interval} old or older now (read only). */
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
