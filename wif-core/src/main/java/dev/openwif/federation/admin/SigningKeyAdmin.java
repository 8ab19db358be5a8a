package dev.openwif.federation.admin;

import dev.openwif.federation.FederationStore;
import dev.openwif.federation.IdGenerator;
import dev.openwif.token.EncryptedSigningKeyRepository;
import dev.openwif.token.SigningKeyLifecycle;
import dev.openwif.token.SigningKeyRepository;
import dev.openwif.token.SigningKeyRotation;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signing-key use cases behind {@code wif signing-keys} and the server's scheduled rotation:
 * list, rotate, retire. Each change and its admin audit event ({@code signing_key.rotated}, {@code
 * signing_key.retired}) run in one {@link AdminWriteLock admin transaction}: when the audit row
 * cannot be stored the change is rolled back and {@link UnauditedChangeException} thrown, so no
 * rotation or retirement is ever kept without its audit row. Inside that transaction the rotation
 * stays the conditional write on the active key, so of several nodes only one rotates. Thread-safe
 * when the store is.
 */
public final class SigningKeyAdmin {
  private final SigningKeyRotation rotation;
  private final AdminWriteLock writeLock;
  private final AdminAudit audit;

  /**
   * @param writeLock the admin transaction each change and its audit row run in
   * @param audit records into {@link FederationStore#adminAuditSink()} (stored before it returns,
   *     inside the transaction), never the batching exchange sink
   */
  public SigningKeyAdmin(SigningKeyRotation rotation, AdminWriteLock writeLock, AdminAudit audit) {
    this.rotation = Objects.requireNonNull(rotation, "rotation");
    this.writeLock = Objects.requireNonNull(writeLock, "writeLock");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /**
   * The use cases on {@code store}'s keys, each change in its own admin transaction of the store
   * with its row in the store's admin audit sink (for {@code wif signing-keys}): new keys are
   * encrypted under {@code masterKey} when one is given (and a wrong one is refused when keys are
   * read).
   *
   * @param tokenLifetime the longest lifetime of the tokens the keys sign ({@code --token-ttl}): a
   *     rotated-out key verifies for that long plus {@link SigningKeyLifecycle#CLOCK_SKEW}
   */
  public static SigningKeyAdmin forStore(
      FederationStore store,
      Optional<String> masterKey,
      Duration tokenLifetime,
      Clock clock,
      IdGenerator ids) {
    return forStore(
        store,
        masterKey,
        tokenLifetime,
        new AdminWriteLock(store.adminTransactions()),
        new AdminAudit(store.adminAuditSink(), clock, ids),
        clock);
  }

  /**
   * {@link #forStore(FederationStore, Optional, Duration, Clock, IdGenerator)} sharing a server's
   * {@code writeLock} and admin {@code audit} (built on {@link FederationStore#adminTransactions()}
   * and {@link FederationStore#adminAuditSink()}) with its other admin use cases.
   */
  public static SigningKeyAdmin forStore(
      FederationStore store,
      Optional<String> masterKey,
      Duration tokenLifetime,
      AdminWriteLock writeLock,
      AdminAudit audit,
      Clock clock) {
    SigningKeyRepository keys =
        masterKey.isPresent()
            ? new EncryptedSigningKeyRepository(
                store.signingKeys(), masterKey.get(), new SecureRandom())
            : store.signingKeys();
    return new SigningKeyAdmin(
        new SigningKeyRotation(keys, new SigningKeyLifecycle(tokenLifetime), clock),
        writeLock,
        audit);
  }

  /** Every key and its state now, oldest first. */
  public List<SigningKeyLifecycle.Status> list() {
    return rotation.list();
  }

  /**
   * Rotates now, audited in the same transaction: the new key is published at once and signs from
   * {@code activationDelay} on (see {@link SigningKeyRotation#rotate(Duration)}).
   *
   * @param actor who asked (an admin key id, {@code cli}, or {@code scheduler})
   * @return empty when another writer rotated at the same moment
   * @throws UnauditedChangeException when the audit row could not be stored (nothing changed)
   * @throws IllegalStateException when a rotation is already under way, or as {@link
   *     SigningKeyRotation#rotate(Duration)}
   */
  public Optional<SigningKeyRotation.Rotated> rotate(Duration activationDelay, String actor) {
    return writeLock.run(
        () -> rotation.rotate(activationDelay).map(rotated -> recorded(rotated, actor, "")));
  }

  /**
   * Rotates when the active key has signed for {@code interval} (the scheduled rotation), audited
   * in the same transaction. The age is checked first without the admin lock (the scheduler asks
   * every minute), then again inside the transaction, so a node that lost the race to another one
   * finds the fresh key there and changes nothing.
   *
   * @param activationDelay how long the new key is published before it signs
   * @throws UnauditedChangeException when the audit row could not be stored (nothing changed)
   */
  public Optional<SigningKeyRotation.Rotated> rotateIfDue(
      Duration interval, Duration activationDelay, String actor) {
    if (!rotation.rotationDue(interval)) {
      return Optional.empty();
    }
    return writeLock.run(
        () ->
            rotation
                .rotateIfDue(interval, activationDelay)
                .map(
                    rotated ->
                        recorded(
                            rotated,
                            actor,
                            ",\"scheduled_every_seconds\":" + interval.toSeconds())));
  }

  /**
   * Retires {@code kid} (see {@link SigningKeyRotation#retire}); a retirement is audited in the
   * same transaction.
   *
   * @throws UnauditedChangeException when the audit row could not be stored (nothing changed)
   */
  public SigningKeyRotation.Retirement retire(String kid, boolean force, String actor) {
    return writeLock.run(
        () -> {
          SigningKeyRotation.Retirement result = rotation.retire(kid, force);
          if (result instanceof SigningKeyRotation.Retirement.Done) {
            audited(
                "signing key retirement",
                "signing_key.retired",
                kid,
                new ChangeNote(actor, "{\"force\":" + force + "}"));
          }
          return result;
        });
  }

  private SigningKeyRotation.Rotated recorded(
      SigningKeyRotation.Rotated rotated, String actor, String moreFields) {
    audited(
        "signing key rotation",
        "signing_key.rotated",
        rotated.activeKid(),
        new ChangeNote(
            actor,
            "{\"previous_kid\":"
                + AdminAudit.quote(rotated.previousKid())
                + ",\"previous_verifies_until\":"
                + AdminAudit.quote(rotated.previousVerifiesUntil().toString())
                + ",\"activates_at\":"
                + AdminAudit.quote(rotated.activatesAt().toString())
                + moreFields
                + "}"));
    return rotated;
  }

  /** Records the audit row inside the transaction; a failure to store it rolls the change back. */
  private void audited(String change, String type, String objectId, ChangeNote note) {
    try {
      audit.record(type, objectId, Optional.empty(), note);
    } catch (RuntimeException e) {
      throw new UnauditedChangeException(change, type, e);
    }
  }
}
