package dev.openwif.federation.admin;

import dev.openwif.federation.AdminKey;
import dev.openwif.federation.AdminKeyRepository;
import dev.openwif.federation.AdminTransactions;
import dev.openwif.federation.IdGenerator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Admin API keys: creates them (returning the secret exactly once), authenticates a presented
 * secret, lists and revokes them. Only the SHA-256 of a secret is stored; a presented secret is
 * hashed and the stored hash compared with {@link MessageDigest#isEqual} (constant time). Secrets
 * are {@code wifadm_} followed by 256 random bits in base64url. Thread-safe when the repository is.
 */
public final class AdminKeys {
  public static final String SECRET_PREFIX = AdminKey.SECRET_PREFIX;
  private static final int DISPLAY_CHARS = 12;
  private static final int OPERATOR_DISPLAY_CHARS = 4;

  private final AdminKeyRepository keys;
  private final AdminWriteLock writeLock;
  private final Optional<AdminAudit> audit;
  private final Clock clock;
  private final IdGenerator ids;
  private final SecureRandom random;
  private final String actor;

  /**
   * Keys whose changes are not audited and commit on their own, for tests; the server and {@code
   * wif admin-keys} use {@link #AdminKeys(AdminKeyRepository, AdminWriteLock, AdminAudit, String,
   * Clock, IdGenerator, SecureRandom)}.
   */
  public AdminKeys(AdminKeyRepository keys, Clock clock, IdGenerator ids, SecureRandom random) {
    this(
        keys,
        new AdminWriteLock(AdminTransactions.none()),
        Optional.empty(),
        "",
        clock,
        ids,
        random);
  }

  /**
   * Keys whose creation and revocation are audited ({@code admin_key.created|revoked}, by {@code
   * actor}, e.g. {@code cli} or {@code server}) in the same admin transaction as the change.
   */
  public AdminKeys(
      AdminKeyRepository keys,
      AdminWriteLock writeLock,
      AdminAudit audit,
      String actor,
      Clock clock,
      IdGenerator ids,
      SecureRandom random) {
    this(keys, writeLock, Optional.of(audit), actor, clock, ids, random);
  }

  private AdminKeys(
      AdminKeyRepository keys,
      AdminWriteLock writeLock,
      Optional<AdminAudit> audit,
      String actor,
      Clock clock,
      IdGenerator ids,
      SecureRandom random) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.writeLock = Objects.requireNonNull(writeLock, "writeLock");
    this.audit = audit;
    this.actor = Objects.requireNonNull(actor, "actor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A stored key and its secret; the secret is shown once and never stored. */
  public record Created(AdminKey key, String secret) {
    @Override
    public String toString() {
      return "Created[key=" + key.id() + ", secret=<redacted>]";
    }
  }

  private static final java.util.regex.Pattern GENERATED =
      java.util.regex.Pattern.compile(
          java.util.regex.Pattern.quote(SECRET_PREFIX) + "[A-Za-z0-9_-]{43}");

  /**
   * Whether {@code secret} has the shape of a key {@link #create} makes ({@value #SECRET_PREFIX}
   * and 256 random bits in base64url), which no online guessing can find; an operator-chosen
   * bootstrap key may be weaker. Looks at the shape only.
   */
  public static boolean generatedShape(String secret) {
    return GENERATED.matcher(secret).matches();
  }

  /** Makes a new random key named {@code name}. */
  public Created create(String name) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return store(name, secret);
  }

  /**
   * Stores {@code secret} as the first admin key when the database holds no key at all.
   *
   * @return the key when one was made, empty when keys already existed
   */
  public Optional<AdminKey> bootstrapWith(String secret) {
    if (secret.length() < 16) {
      throw new IllegalArgumentException("the bootstrap admin key must be at least 16 characters");
    }
    return writeLock.run(
        () ->
            keys.listAll().isEmpty()
                ? Optional.of(store("bootstrap", secret).key())
                : Optional.<AdminKey>empty());
  }

  /**
   * Makes a random first key when the database holds no key at all; empty when keys already
   * existed.
   */
  public Optional<Created> bootstrapRandom() {
    return writeLock.run(
        () ->
            keys.listAll().isEmpty()
                ? Optional.of(create("bootstrap"))
                : Optional.<Created>empty());
  }

  /** The active key whose secret is {@code presented}, if any. */
  public Optional<AdminKey> authenticate(String presented) {
    String hash = sha256Hex(presented);
    return keys.findBySecretHash(hash)
        .filter(AdminKey::active)
        .filter(
            k ->
                MessageDigest.isEqual(
                    k.secretHash().getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII)));
  }

  public List<AdminKey> list() {
    return keys.listAll();
  }

  /** Revokes the key; false when there is no such active key. */
  public boolean revoke(String id) {
    return writeLock.run(
        () -> {
          boolean revoked = keys.revoke(id, clock.instant());
          if (revoked) {
            record("admin_key.revoked", id, "{}");
          }
          return revoked;
        });
  }

  private void record(String type, String id, String changesRequestedJson) {
    audit.ifPresent(
        a -> a.record(type, id, Optional.empty(), new ChangeNote(actor, changesRequestedJson)));
  }

  /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code secret}. */
  public static String sha256Hex(String secret) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  private Created store(String name, String secret) {
    // an operator-chosen secret shows only its first few characters; a generated one its fixed
    // prefix and 5 more
    int shown = secret.startsWith(SECRET_PREFIX) ? DISPLAY_CHARS : OPERATOR_DISPLAY_CHARS;
    String display = secret.substring(0, Math.min(shown, secret.length()));
    AdminKey key =
        new AdminKey(
            ids.next("admin_key"),
            name,
            sha256Hex(secret),
            display,
            clock.instant(),
            Optional.empty());
    writeLock.runVoid(
        () -> {
          keys.insert(key);
          record("admin_key.created", key.id(), "{\"name\":" + AdminAudit.quote(name) + "}");
        });
    return new Created(key, secret);
  }
}
