package dev.openwif.server.infra;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether the server may fetch a URL on an admin's behalf (discovery documents, JWKS), so
 * that a provider's configuration cannot point the server at its own network (SSRF, e.g. the cloud
 * metadata service at 169.254.169.254).
 *
 * <p>Outside dev mode: {@code https} only, and the host must resolve only to public addresses —
 * every resolved address is checked, and refused when it is unspecified, loopback, private (10/8,
 * 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10), CGNAT (100.64/10),
 * multicast, reserved (0/8, 240/4, 192.0.0/24, 198.18/15, broadcast), or an IPv4-mapped,
 * -compatible, -translated or NAT64 (64:ff9b::/96) form of those; other IPv6 addresses must be
 * global unicast (2000::/3) and not 6to4 (2002::/16), Teredo (2001::/32), documentation
 * (2001:db8::/32) nor local-use NAT64 (64:ff9b:1::/48), which can reach any IPv4 address. In dev
 * mode {@code http} and loopback are allowed too (local emulators); other private ranges stay
 * refused. Credentials in the URL are always refused.
 *
 * <p>{@link #checkedAddresses} hands out the checked addresses for the connection to use as they
 * are ({@code HttpJwksFetcher} connects to nothing else), so a DNS answer that changes between the
 * check and the connection (rebinding) cannot redirect it. Thread-safe.
 */
public final class OutboundUrlGuard {
  /** Resolves a host name to all its addresses (a seam for tests). */
  @FunctionalInterface
  public interface HostResolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean devMode;
  private final HostResolver resolver;

  public OutboundUrlGuard(boolean devMode) {
    this(devMode, InetAddress::getAllByName);
  }

  public OutboundUrlGuard(boolean devMode, HostResolver resolver) {
    this.devMode = devMode;
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * Why this URL may not be fetched, or empty when it may. Resolves the host (may block briefly on
   * DNS).
   */
  public Optional<String> refusalReason(URI uri) {
    return refusal(uri, true);
  }

  /**
   * Why an admin may not configure this URL (an issuer or discovery URL), or empty when they may:
   * the same rules as {@link #refusalReason}, except that a host name which does not resolve right
   * now is accepted (it may be an issuer not yet reachable from here); every fetch checks the URL
   * again.
   */
  public Optional<String> configurationRefusalReason(URI uri) {
    return refusal(uri, false);
  }

  /**
   * Resolves the URL's host once and checks every address: the addresses the server may connect to
   * for this URL, to be used as they are (never resolved again, so a DNS answer that changes after
   * the check, rebinding, cannot send the connection elsewhere). Each carries the URL's host name,
   * so TLS sends it as SNI and verifies the certificate against it.
   *
   * @throws IOException with the refusal reason when the URL may not be fetched
   */
  public List<InetAddress> checkedAddresses(URI uri) throws IOException {
    Checked checked = check(uri, true);
    if (checked.refusal().isPresent()) {
      throw new IOException("refused to fetch: " + checked.refusal().get());
    }
    String host = bareHost(Objects.requireNonNull(uri.getHost(), "host"));
    List<InetAddress> pinned = new ArrayList<>();
    for (InetAddress address : checked.addresses()) {
      pinned.add(InetAddress.getByAddress(host, address.getAddress()));
    }
    return List.copyOf(pinned);
  }

  /** A URL's refusal reason, or the addresses its host resolved to (all allowed). */
  private record Checked(Optional<String> refusal, List<InetAddress> addresses) {
    static Checked refused(String reason) {
      return new Checked(Optional.of(reason), List.of());
    }
  }

  private static String bareHost(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private Optional<String> refusal(URI uri, boolean unresolvableIsRefused) {
    return check(uri, unresolvableIsRefused).refusal();
  }

  private Checked check(URI uri, boolean unresolvableIsRefused) {
    Objects.requireNonNull(uri, "uri");
    if (!uri.isAbsolute() || uri.getScheme() == null) {
      return Checked.refused("the URL " + uri + " is not absolute");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(devMode && scheme.equals("http"))) {
      return Checked.refused(
          devMode
              ? "only http and https URLs are fetched, not " + scheme
              : "only https URLs are fetched outside --dev mode, not " + scheme);
    }
    if (uri.getRawUserInfo() != null) {
      return Checked.refused("URLs with credentials (user info) are refused");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return Checked.refused("the URL " + uri + " has no host");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(bareHost(host));
    } catch (UnknownHostException e) {
      return unresolvableIsRefused
          ? Checked.refused("host " + host + " does not resolve")
          : new Checked(Optional.empty(), List.of());
    }
    if (addresses.length == 0) {
      return unresolvableIsRefused
          ? Checked.refused("host " + host + " does not resolve")
          : new Checked(Optional.empty(), List.of());
    }
    for (InetAddress address : addresses) {
      Optional<String> forbidden = forbiddenClass(address);
      if (forbidden.isPresent()) {
        return Checked.refused(
            "host " + host + " resolves to " + address.getHostAddress() + ", " + forbidden.get());
      }
    }
    return new Checked(Optional.empty(), List.of(addresses));
  }

  /**
   * Refuses a URL this server may not fetch (see {@link #refusalReason}).
   *
   * @throws IOException with the refusal reason when the URL may not be fetched
   */
  public void check(URI uri) throws IOException {
    Optional<String> reason = refusalReason(uri);
    if (reason.isPresent()) {
      throw new IOException("refused to fetch: " + reason.get());
    }
  }

  private Optional<String> forbiddenClass(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return devMode
          ? Optional.empty()
          : Optional.of("a loopback address (allowed only in --dev mode)");
    }
    if (address instanceof Inet6Address v6) {
      Optional<InetAddress> embedded = embeddedIpv4(v6);
      if (embedded.isPresent()) {
        return forbiddenClass(embedded.get())
            .map(reason -> reason + " (embedded in an IPv6 address)");
      }
    }
    if (address.isAnyLocalAddress()) {
      return Optional.of("the unspecified address");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("a link-local address (where cloud metadata services live)");
    }
    if (address.isSiteLocalAddress()) {
      return Optional.of("a private address");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("a multicast address");
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 100 && second >= 64 && second <= 127) {
        return Optional.of("a carrier-grade NAT address (100.64.0.0/10)");
      }
      if (first == 0
          || first >= 240
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
          || (first == 198 && (second == 18 || second == 19))) {
        return Optional.of("a reserved address");
      }
    } else {
      return forbiddenIpv6Class(b);
    }
    return Optional.empty();
  }

  /**
   * The IPv6 ranges refused beyond the ones {@link InetAddress} names: only global unicast
   * (2000::/3) and the well-known NAT64 prefix (its embedded IPv4 address checked before) pass, and
   * within 2000::/3 the ranges that carry or reach an arbitrary IPv4 address (6to4, Teredo) or are
   * never routed (documentation) are refused.
   */
  private static Optional<String> forbiddenIpv6Class(byte[] b) {
    int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    int w2 = ((b[4] & 0xff) << 8) | (b[5] & 0xff);
    if ((b[0] & 0xfe) == 0xfc) {
      return Optional.of("a private address (unique local, fc00::/7)");
    }
    if (w0 == 0x0064 && w1 == 0xff9b && w2 == 0x0001) {
      return Optional.of(
          "a local-use NAT64 address (64:ff9b:1::/48, which can reach any private IPv4 address)");
    }
    if (w0 == 0x0064 && w1 == 0xff9b && isNat64WellKnown(b)) {
      return Optional.empty(); // the embedded IPv4 address was checked
    }
    if (w0 == 0x2002) {
      return Optional.of("a 6to4 address (2002::/16, which can embed any IPv4 address)");
    }
    if (w0 == 0x2001 && w1 == 0x0000) {
      return Optional.of("a Teredo address (2001::/32, which can embed any IPv4 address)");
    }
    if (w0 == 0x2001 && w1 == 0x0db8) {
      return Optional.of("a reserved address (documentation, 2001:db8::/32)");
    }
    if ((b[0] & 0xe0) != 0x20) {
      return Optional.of("a reserved address (not global unicast, outside 2000::/3)");
    }
    return Optional.empty();
  }

  private static boolean isNat64WellKnown(byte[] b) {
    return (b[0] & 0xff) == 0x00
        && (b[1] & 0xff) == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && allZero(b, 4, 12);
  }

  /**
   * The IPv4 address inside an IPv4-compatible (::a.b.c.d), IPv4-mapped (::ffff:a.b.c.d, when not
   * already an {@link Inet4Address}), IPv4-translated (::ffff:0:a.b.c.d) or well-known NAT64
   * (64:ff9b::/96) IPv6 address.
   */
  private static Optional<InetAddress> embeddedIpv4(Inet6Address v6) {
    byte[] b = v6.getAddress();
    boolean nat64 = isNat64WellKnown(b);
    boolean compatible = allZero(b, 0, 12) && !allZero(b, 12, 16);
    boolean mapped = allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean translated =
        allZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && allZero(b, 10, 12);
    if (!nat64 && !compatible && !mapped && !translated) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
