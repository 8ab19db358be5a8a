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
 * list, rotate, retire, each change recorded as an admin audit event ({@code signing_key.rotated},
 * {@code signing_key.retired}). Thread-safe when the store is.
 */
public final class SigningKeyAdmin {
  private final SigningKeyRotation rotation;
  private final AdminAudit audit;

  public SigningKeyAdmin(SigningKeyRotation rotation, AdminAudit audit) {
    this.rotation = Objects.requireNonNull(rotation, "rotation");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /**
   * The use cases on {@code store}'s keys: new keys are encrypted under {@code masterKey} when one
   * is given (and a wrong one is refused when keys are read).
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
    SigningKeyRepository keys =
        masterKey.isPresent()
            ? new EncryptedSigningKeyRepository(
                store.signingKeys(), masterKey.get(), new SecureRandom())
            : store.signingKeys();
    return new SigningKeyAdmin(
        new SigningKeyRotation(keys, new SigningKeyLifecycle(tokenLifetime), clock),
        new AdminAudit(store.auditSink(), clock, ids));
  }

  /** Every key and its state now, oldest first. */
  public List<SigningKeyLifecycle.Status> list() {
    return rotation.list();
  }

  /**
   * Rotates now.
   *
   * @param actor who asked (an admin key id, {@code cli}, or {@code scheduler})
   * @return empty when another writer rotated at the same moment
   */
  public Optional<SigningKeyRotation.Rotated> rotate(String actor) {
    return rotation.rotate().map(rotated -> recorded(rotated, actor, ""));
  }

  /** Rotates when the active key is {@code interval} old (the scheduled rotation). */
  public Optional<SigningKeyRotation.Rotated> rotateIfDue(Duration interval, String actor) {
    return rotation
        .rotateIfDue(interval)
        .map(
            rotated ->
                recorded(rotated, actor, ",\"scheduled_every_seconds\":" + interval.toSeconds()));
  }

  /** Retires {@code kid} (see {@link SigningKeyRotation#retire}); a retirement is audited. */
  public SigningKeyRotation.Retirement retire(String kid, boolean force, String actor) {
    SigningKeyRotation.Retirement result = rotation.retire(kid, force);
    if (result instanceof SigningKeyRotation.Retirement.Done) {
      audit.record(
          "signing_key.retired",
          kid,
          Optional.empty(),
          new ChangeNote(actor, "{\"force\":" + force + "}"));
    }
    return result;
  }

  private SigningKeyRotation.Rotated recorded(
      SigningKeyRotation.Rotated rotated, String actor, String moreFields) {
    audit.record(
        "signing_key.rotated",
        rotated.activeKid(),
        Optional.empty(),
        new ChangeNote(
            actor,
            "{\"previous_kid\":"
                + AdminAudit.quote(rotated.previousKid())
                + ",\"previous_verifies_until\":"
                + AdminAudit.quote(rotated.previousVerifiesUntil().toString())
                + moreFields
                + "}"));
    return rotated;
  }
}
