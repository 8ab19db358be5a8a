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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The server's own ES256 signing keys (RFC 7518 §3.4, P-256). Loaded from the {@link
 * SigningKeyRepository}; on a first start with an empty repository a key is generated and
 * persisted, so tokens keep verifying across restarts and across nodes sharing the database. The
 * newest key signs; every stored key is published (public part only) so tokens signed by an older
 * key verify until they expire. The {@code kid} is the key's RFC 7638 thumbprint.
 *
 * <p>Thread-safe: readers see an immutable snapshot; {@link #rotate()} and {@link #reload()} are
 * serialised.
 */
public final class SigningKeys {
  private final SigningKeyRepository repository;
  private final Clock clock;
  private volatile Snapshot snapshot;

  private record Snapshot(ECKey current, Map<String, ECKey> publicByKid, String publicJwksJson) {}

  /** Loads the stored keys, generating and persisting the first one when there is none. */
  public SigningKeys(SigningKeyRepository repository, Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.clock = Objects.requireNonNull(clock, "clock");
    synchronized (this) {
      if (repository.listAll().isEmpty()) {
        repository.insert(generate());
      }
      this.snapshot = load();
    }
  }

  /** The key that signs new tokens (private part included; never publish it). */
  public ECKey current() {
    return snapshot.current();
  }

  /** The public key with this kid, when it is one of ours. */
  public Optional<ECKey> publicKey(String kid) {
    return Optional.ofNullable(snapshot.publicByKid().get(kid));
  }

  /** The JWK Set of every key, public parts only (served at the server's {@code jwks_uri}). */
  public String publicJwksJson() {
    return snapshot.publicJwksJson();
  }

  /** Generates and persists a new key, which becomes current; older keys stay published. */
  public synchronized ECKey rotate() {
    repository.insert(generate());
    snapshot = load();
    return snapshot.current();
  }

  /** Re-reads the repository (e.g. after another node rotated). */
  public synchronized void reload() {
    snapshot = load();
  }

  private Snapshot load() {
    List<StoredSigningKey> stored = repository.listAll();
    if (stored.isEmpty()) {
      throw new IllegalStateException("the signing key repository is empty");
    }
    List<ECKey> keys = new ArrayList<>();
    for (StoredSigningKey s : stored) {
      keys.add(parse(s));
    }
    ECKey current = keys.getLast();
    Map<String, ECKey> publicByKid =
        keys.stream()
            .map(ECKey::toPublicJWK)
            .collect(Collectors.toUnmodifiableMap(JWK::getKeyID, Function.identity(), (a, b) -> a));
    String jwks = new JWKSet(List.<JWK>copyOf(keys)).toPublicJWKSet().toString(true);
    return new Snapshot(current, publicByKid, jwks);
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

  private StoredSigningKey generate() {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .keyIDFromThumbprint(true)
              .generate();
      return new StoredSigningKey(key.getKeyID(), key.toJSONString(), clock.instant());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 signing key", e);
    }
  }
}
