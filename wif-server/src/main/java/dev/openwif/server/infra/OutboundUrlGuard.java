package dev.openwif.server.infra;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
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
 * multicast, reserved (0/8, 240/4, 192.0.0/24, 198.18/15, broadcast), or an IPv4-mapped / NAT64
 * form of those. In dev mode {@code http} and loopback are allowed too (local emulators); other
 * private ranges stay refused. Credentials in the URL are always refused.
 *
 * <p>Limitation: the HTTP client resolves the host again when it connects, so a DNS answer that
 * changes between the check and the connection (rebinding) is not caught here. Thread-safe.
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

  private Optional<String> refusal(URI uri, boolean unresolvableIsRefused) {
    Objects.requireNonNull(uri, "uri");
    if (!uri.isAbsolute() || uri.getScheme() == null) {
      return Optional.of("the URL " + uri + " is not absolute");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(devMode && scheme.equals("http"))) {
      return Optional.of(
          devMode
              ? "only http and https URLs are fetched, not " + scheme
              : "only https URLs are fetched outside --dev mode, not " + scheme);
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("URLs with credentials (user info) are refused");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return Optional.of("the URL " + uri + " has no host");
    }
    String bareHost =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(bareHost);
    } catch (UnknownHostException e) {
      return unresolvableIsRefused
          ? Optional.of("host " + host + " does not resolve")
          : Optional.empty();
    }
    if (addresses.length == 0) {
      return unresolvableIsRefused
          ? Optional.of("host " + host + " does not resolve")
          : Optional.empty();
    }
    for (InetAddress address : addresses) {
      Optional<String> forbidden = forbiddenClass(address);
      if (forbidden.isPresent()) {
        return Optional.of(
            "host " + host + " resolves to " + address.getHostAddress() + ", " + forbidden.get());
      }
    }
    return Optional.empty();
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
    } else if ((b[0] & 0xfe) == 0xfc) {
      return Optional.of("a private address (unique local, fc00::/7)");
    }
    return Optional.empty();
  }

  /**
   * The IPv4 address inside an IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::/96) IPv6 address.
   */
  private static Optional<InetAddress> embeddedIpv4(Inet6Address v6) {
    byte[] b = v6.getAddress();
    boolean nat64 =
        (b[0] & 0xff) == 0x00
            && (b[1] & 0xff) == 0x64
            && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b
            && allZero(b, 4, 12);
    boolean compatible = allZero(b, 0, 12) && !allZero(b, 12, 16);
    if (!nat64 && !compatible) {
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
