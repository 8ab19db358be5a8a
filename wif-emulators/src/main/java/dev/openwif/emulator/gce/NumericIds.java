package dev.openwif.emulator.gce;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Stable decimal identifiers derived from a name, so the same name always gets the same number. */
final class NumericIds {
  private NumericIds() {}

  /**
   * A number of exactly {@code length} decimal digits (1..18), derived from SHA-256 of {@code
   * seed}.
   */
  static long digits(String seed, int length) {
    if (length < 1 || length > 18) {
      throw new IllegalArgumentException("length must be 1..18, got " + length);
    }
    return Long.parseLong(digitString(seed, length));
  }

  /**
   * A string of exactly {@code length} decimal digits not starting with 0, derived from SHA-256 of
   * {@code seed}; Google's service account unique ids are 21 such digits starting with 1.
   */
  static String digitString(String seed, int length) {
    if (length < 1 || length > 60) {
      throw new IllegalArgumentException("length must be 1..60, got " + length);
    }
    if (length == 1) {
      return "1";
    }
    BigInteger hash = new BigInteger(1, sha256(seed));
    BigInteger range = BigInteger.TEN.pow(length - 1);
    return "1" + String.format("%0" + (length - 1) + "d", hash.mod(range)).substring(0, length - 1);
  }

  private static byte[] sha256(String seed) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
