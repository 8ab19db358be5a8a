package dev.openwif.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's own ES256 signing keys (RFC 7518 §3.4, P-256). Loaded from the {@link
 * SigningKeyRepository}; on a first start with an empty repository (or one whose keys are all
 * rotated out or retired) a key is generated and persisted, so tokens keep verifying across
 * restarts and across nodes sharing the database. The active key signs; it, a pending key and the
 * verifying keys ({@link SigningKeyLifecycle}) are published (public part only), so a key is known
 * before it signs and tokens signed by a rotated-out key verify until they expire; a retired key,
 * or one past its verify-until time, verifies nothing and is not published. A pending key starts
 * signing at its activation time on every node that has read it, without waiting for a re-read. The
 * {@code kid} is the key's RFC 7638 thumbprint.
 *
 * <p>Thread-safe: readers see an immutable snapshot; {@link #rotate()} and {@link #reload()} are
 * serialised.
 */
public final class SigningKeys {
  private final SigningKeyRepository repository;
  private final Clock clock;
  private final SigningKeyLifecycle lifecycle;
  private volatile Snapshot snapshot;

  private record Verifying(ECKey publicKey, Optional<Instant> until) {}

  /**
   * The keys as read: {@code current} signs until {@code next} (a published, pending key) activates
   * at {@code nextFrom}; then {@code next} signs without waiting for a re-read. {@code readAt}:
   * when the repository was read.
   */
  private record Snapshot(
      ECKey current,
      Optional<ECKey> next,
      Instant nextFrom,
      Map<String, Verifying> publicByKid,
      String publicJwksJson,
      Instant readAt) {

    ECKey signing(Instant now) {
      return next.isPresent() && !now.isBefore(nextFrom) ? next.get() : current;
    }
  }

  /** Like {@link #SigningKeys(SigningKeyRepository, Clock, SigningKeyLifecycle)} for 1 h tokens. */
  public SigningKeys(SigningKeyRepository repository, Clock clock) {
    this(repository, clock, new SigningKeyLifecycle(Duration.ofHours(1)));
  }

  /**
   * Loads the stored keys, generating and persisting a key when none is active.
   *
   * @param lifecycle the token lifetime the keys' verify-until times are derived from
   */
  public SigningKeys(SigningKeyRepository repository, Clock clock, SigningKeyLifecycle lifecycle) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    synchronized (this) {
      if (lifecycle.active(repository.listAll(), clock.instant()).isEmpty()) {
        repository.insert(generate(clock.instant()));
      }
      this.snapshot = load(Optional.empty());
    }
  }

  /**
   * How long ago the keys were last read from the repository successfully: a node that has not
   * re-read them for longer than a rotation publishes a new key ahead may not know a key that other
   * nodes already sign with.
   */
  public Duration sinceLastRead() {
    return Duration.between(snapshot.readAt(), clock.instant());
  }

  /**
   * The key that signs new tokens now (private part included; never publish it): the active key, or
   * the pending key once its activation time has come, even before the next re-read.
   */
  public ECKey current() {
    Snapshot s = snapshot;
    return s.next().isEmpty() ? s.current() : s.signing(clock.instant());
  }

  /**
   * The public key with this kid, when it is one of ours and still verifies now (not retired, not
   * past its verify-until time).
   */
  public Optional<ECKey> publicKey(String kid) {
    Verifying verifying = snapshot.publicByKid().get(kid);
    if (verifying == null
        || (verifying.until().isPresent() && !clock.instant().isBefore(verifying.until().get()))) {
      return Optional.empty();
    }
    return Optional.of(verifying.publicKey());
  }

  /**
   * The JWK Set of the pending, active and verifying keys, public parts only ({@code jwks_uri}).
   */
  public String publicJwksJson() {
    return snapshot.publicJwksJson();
  }

  /**
   * Rotates now (see {@link SigningKeyRotation#rotate()}) and re-reads the keys: the new key
   * becomes current, the old one keeps verifying until its last token can have expired.
   */
  public synchronized ECKey rotate() {
    new SigningKeyRotation(repository, lifecycle, clock).rotate();
    snapshot = load(Optional.of(snapshot.current().getKeyID()));
    return current();
  }

  /**
   * Re-reads the repository (e.g. after another node or the CLI rotated or retired a key).
   *
   * @return true when the set of usable keys changed
   */
  public synchronized boolean reload() {
    Snapshot before = snapshot;
    snapshot = load(Optional.of(before.current().getKeyID()));
    return !before.publicJwksJson().equals(snapshot.publicJwksJson())
        || !before.current().getKeyID().equals(snapshot.current().getKeyID())
        || !before.next().map(ECKey::getKeyID).equals(snapshot.next().map(ECKey::getKeyID));
  }

  /** A published key that does not sign yet, and from when it signs. */
  public record Pending(String kid, Instant activatesAt) {}

  /** The key a rotation under way published, until it starts signing. */
  public Optional<Pending> pending() {
    Snapshot s = snapshot;
    Instant now = clock.instant();
    return s.next()
        .filter(k -> now.isBefore(s.nextFrom()))
        .map(k -> new Pending(k.getKeyID(), s.nextFrom()));
  }

  /**
   * Reads the keys; the one that signs passes {@link SigningKeySelfTest} against the JWK Set about
   * to be published, unless it is the same key as before ({@code previousKid}), and so does a
   * pending key before it may ever sign.
   */
  private Snapshot load(Optional<String> previousKid) {
    Instant readAt = clock.instant();
    List<StoredSigningKey> stored = repository.listAll();
    List<SigningKeyLifecycle.Status> statuses = lifecycle.statuses(stored, readAt);
    ECKey current = null;
    ECKey next = null;
    Instant nextFrom = Instant.MAX;
    Map<String, Verifying> publicByKid = new LinkedHashMap<>();
    List<JWK> published = new ArrayList<>();
    for (SigningKeyLifecycle.Status status : statuses) {
      if (status.state() == SigningKeyLifecycle.State.RETIRED) {
        continue; // its private part may be erased; it verifies nothing
      }
      ECKey key = parse(status.key());
      if (status.state() == SigningKeyLifecycle.State.ACTIVE) {
        current = key;
      } else if (status.state() == SigningKeyLifecycle.State.PENDING
          && status.key().activatesAt().isBefore(nextFrom)) {
        next = key;
        nextFrom = status.key().activatesAt();
      }
      publicByKid.put(key.getKeyID(), new Verifying(key.toPublicJWK(), status.verifiesUntil()));
      published.add(key.toPublicJWK());
    }
    if (current == null) {
      throw new IllegalStateException(
          "the signing key repository has no active key ("
              + stored.size()
              + " stored, all rotated out or retired)");
    }
    String jwks = new JWKSet(published).toString(true);
    if (!previousKid.equals(Optional.of(current.getKeyID()))) {
      SigningKeySelfTest.check(current, jwks);
    }
    if (next != null) {
      SigningKeySelfTest.check(next, jwks);
    }
    return new Snapshot(
        current, Optional.ofNullable(next), nextFrom, Map.copyOf(publicByKid), jwks, readAt);
  }

  private static ECKey parse(StoredSigningKey stored) {
    if (EncryptedSigningKeyRepository.isEncrypted(stored.privateJwkJson())) {
      throw new IllegalStateException(
          "the signing keys in this database are encrypted (stored signing key "
              + stored.kid()
              + "), but no master key is set: start the server with WIF_MASTER_KEY set to the"
              + " master key they were stored with");
    }
    try {
      ECKey key = ECKey.parse(stored.privateJwkJson());
      if (!Curve.P_256.equals(key.getCurve())
          || !key.isPrivate()
          || !stored.kid().equals(key.getKeyID())) {
        throw new IllegalStateException(
            "stored signing key " + stored.kid() + " is not a private P-256 key with that kid");
      }
      return key;
    } catch (ParseException e) {
      throw new IllegalStateException(
          "stored signing key " + stored.kid() + " cannot be read: " + e.getMessage());
    }
  }

  /** A new P-256 key created at {@code at}, as stored (private JWK in plain text). */
  static StoredSigningKey generate(Instant at) {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .keyIDFromThumbprint(true)
              .generate();
      SigningKeySelfTest.check(key); // before it is stored: a faulty new key is never used
      return new StoredSigningKey(key.getKeyID(), key.toJSONString(), at);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 signing key", e);
    }
  }
}
