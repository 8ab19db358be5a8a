package dev.openwif.federation;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids made of a prefix and 96 random bits in hex. Thread-safe. */
public final class RandomIdGenerator implements IdGenerator {
  private final SecureRandom random = new SecureRandom();

  @Override
  public String next(String prefix) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return prefix + "_" + HexFormat.of().formatHex(bytes);
  }
}
