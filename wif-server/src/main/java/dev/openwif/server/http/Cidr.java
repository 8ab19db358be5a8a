package dev.openwif.server.http;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address range such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is
 * its own range ({@code /32} or {@code /128}). An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d})
 * is the IPv4 address it maps. Immutable; thread-safe.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code ADDRESS[/PREFIX]}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Cidr parse(String value) {
    Objects.requireNonNull(value, "value");
    String s = value.strip();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    InetAddress parsed =
        TrustedProxies.literal(address)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "'" + shortened(value) + "' is not an IP address or CIDR range"));
    byte[] bytes = parsed.getAddress();
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String digits = s.substring(slash + 1);
      if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > max) {
        throw new IllegalArgumentException(
            "'" + shortened(value) + "' has a prefix length outside 0.." + max);
      }
      prefix = Integer.parseInt(digits);
    }
    byte[] network = mask(bytes, prefix);
    if (!Arrays.equals(network, bytes)) {
      throw new IllegalArgumentException(
          "'"
              + shortened(value)
              + "' has host bits set after the prefix (did you mean "
              + format(network, prefix)
              + "?)");
    }
    return new Cidr(network, prefix, format(network, prefix));
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xff << (8 - keep)));
    }
    return out;
  }

  private static String format(byte[] network, int prefix) {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes always make an address", e);
    }
  }

  private static String shortened(String value) {
    return value.length() > 60 ? value.substring(0, 60) + "…" : value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Cidr other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
