package dev.openwif.token;

import java.util.Base64;
import java.util.Optional;

/**
 * What a master key ({@code WIF_MASTER_KEY}) must be: at least {@value #MIN_BYTES} random bytes
 * written in base64 (standard or URL-safe alphabet, padding optional), e.g. the output of {@code
 * openssl rand -base64 32}. A passphrase is refused rather than stretched: the encryption key is
 * derived with one SHA-256, which is sound for a random secret and weak for a guessable one, and a
 * memory-hard KDF would add a dependency for a case we can refuse instead. Stateless; thread-safe.
 */
public final class MasterKeyFormat {
  /** The least number of decoded bytes (256 bits). */
  public static final int MIN_BYTES = 32;

  private static final String HINT = " (generate one with: openssl rand -base64 32)";

  private MasterKeyFormat() {}

  /** Why {@code secret} is not a usable master key, or empty when it is. Never echoes it. */
  public static Optional<String> problem(String secret) {
    byte[] decoded;
    try {
      decoded = decode(secret);
    } catch (IllegalArgumentException e) {
      return Optional.of(
          "the master key must be "
              + MIN_BYTES
              + " or more random bytes in base64; this value is not base64"
              + HINT);
    }
    if (decoded.length < MIN_BYTES) {
      return Optional.of(
          "the master key must be "
              + MIN_BYTES
              + " or more random bytes in base64; this value decodes to "
              + decoded.length
              + " bytes"
              + HINT);
    }
    if (allSame(decoded)) {
      return Optional.of("the master key decodes to one byte repeated, which is not random" + HINT);
    }
    return Optional.empty();
  }

  /** Throws {@link IllegalArgumentException} with {@link #problem(String)} when there is one. */
  public static void check(String secret) {
    problem(secret)
        .ifPresent(
            message -> {
              throw new IllegalArgumentException(message);
            });
  }

  private static byte[] decode(String secret) {
    String s = secret.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    boolean urlSafe = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
    return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
  }

  private static boolean allSame(byte[] bytes) {
    for (byte b : bytes) {
      if (b != bytes[0]) {
        return false;
      }
    }
    return true;
  }
}
