package dev.openwif.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps the server's private signing keys encrypted at rest: wraps a {@link SigningKeyRepository}
 * and stores each private JWK as AES-256-GCM ciphertext (NIST SP 800-38D; 96-bit random IV, 128-bit
 * tag, the {@code kid} as additional authenticated data so a ciphertext cannot be moved to another
 * key's row), written {@code wifenc1:<base64url(iv || ciphertext)>}. Rows written before encryption
 * was configured (plain JWK JSON) are still read, and {@link #encryptPlaintextRows()} encrypts them
 * (the server does at start); new keys are always encrypted.
 *
 * <p>The 256-bit key is derived from the operator's master secret with SHA-256 over a fixed label;
 * the secret must be 32 or more random bytes in base64 ({@link MasterKeyFormat}). A wrong secret is
 * detected (the tag does not verify) and refused rather than producing garbage keys.
 *
 * <p>Thread-safe when the delegate is (a new {@link Cipher} per call).
 */
public final class EncryptedSigningKeyRepository implements SigningKeyRepository {
  static final String PREFIX = "wifenc1:";
  private static final String LABEL = "openwif signing-key encryption v1\u0000";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SigningKeyRepository delegate;
  private final SecretKeySpec key;
  private final SecureRandom random;

  /**
   * @param masterSecret the operator's secret (from {@code WIF_MASTER_KEY}), as {@link
   *     MasterKeyFormat} requires
   * @throws IllegalArgumentException when the secret is not a usable master key
   */
  public EncryptedSigningKeyRepository(
      SigningKeyRepository delegate, String masterSecret, SecureRandom random) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(masterSecret, "masterSecret");
    MasterKeyFormat.check(masterSecret);
    this.key = new SecretKeySpec(derive(masterSecret), "AES");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public void insert(StoredSigningKey stored) {
    delegate.insert(sealed(stored));
  }

  @Override
  public List<StoredSigningKey> listAll() {
    return delegate.listAll().stream()
        .map(
            s ->
                isEncrypted(s.privateJwkJson())
                    ? s.withPrivateJwkJson(decrypt(s.kid(), s.privateJwkJson()))
                    : s)
        .toList();
  }

  /** Encrypts {@code next} and rotates as the delegate does. */
  @Override
  public boolean rotate(
      String expectedActiveKid, Instant activeVerifyUntil, StoredSigningKey next) {
    return delegate.rotate(expectedActiveKid, activeVerifyUntil, sealed(next));
  }

  @Override
  public boolean retire(String kid, Instant at) {
    return delegate.retire(kid, at);
  }

  /** Passes the stored texts through unchanged (they are what the delegate holds). */
  @Override
  public boolean replacePrivateJwk(String kid, String expected, String replacement) {
    return delegate.replacePrivateJwk(kid, expected, replacement);
  }

  /**
   * Encrypts every row still stored in plain text (written before the master key was set), each
   * only if it is unchanged meanwhile. Retired rows hold no private part and are left alone. The
   * rows already encrypted are decrypted first, so a wrong master key is refused before it encrypts
   * anything (rows sealed under a wrong key could never be read with the right one).
   *
   * @return how many rows were encrypted
   * @throws IllegalStateException when an encrypted row does not decrypt with this master key
   */
  public int encryptPlaintextRows() {
    List<StoredSigningKey> unused = listAll(); // throws on a wrong master key
    int encrypted = 0;
    for (StoredSigningKey row : delegate.listAll()) {
      String text = row.privateJwkJson();
      if (text.isEmpty() || isEncrypted(text)) {
        continue;
      }
      if (delegate.replacePrivateJwk(row.kid(), text, encrypt(row.kid(), text))) {
        encrypted++;
      }
    }
    return encrypted;
  }

  private StoredSigningKey sealed(StoredSigningKey stored) {
    return stored.withPrivateJwkJson(encrypt(stored.kid(), stored.privateJwkJson()));
  }

  /**
   * True when this stored text is ciphertext written by this class (so a master key is needed to
   * read it).
   */
  public static boolean isEncrypted(String storedPrivateJwk) {
    return storedPrivateJwk.startsWith(PREFIX);
  }

  private String encrypt(String kid, String plaintext) {
    try {
      byte[] iv = new byte[IV_BYTES];
      random.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[IV_BYTES + sealed.length];
      System.arraycopy(iv, 0, out, 0, IV_BYTES);
      System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required of every JDK", e);
    }
  }

  private String decrypt(String kid, String stored) {
    byte[] all;
    try {
      all = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("stored signing key " + kid + " is not valid ciphertext");
    }
    if (all.length <= IV_BYTES) {
      throw new IllegalStateException("stored signing key " + kid + " is not valid ciphertext");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(all, IV_BYTES)));
      cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException(
          "stored signing key "
              + kid
              + " cannot be decrypted: the master key (WIF_MASTER_KEY) is not the one it was stored with");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "stored signing key " + kid + " cannot be decrypted: " + e.getMessage());
    }
  }

  private static byte[] derive(String secret) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(LABEL.getBytes(StandardCharsets.UTF_8));
      return sha256.digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
