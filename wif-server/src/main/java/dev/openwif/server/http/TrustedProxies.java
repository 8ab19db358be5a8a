package dev.openwif.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which client address a request counts against (per-address exchange limits, the admin sign-in
 * throttle). By default the TCP peer: forwarded headers are not trusted. With trusted proxies
 * ({@code --trusted-proxy CIDR}), a request whose peer is one of them is attributed to the
 * right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy: entries further left
 * were written by the client and prove nothing. A malformed entry stops the walk at the last
 * address a trusted proxy vouched for. Only IP literals are parsed, never a name (no DNS).
 * Immutable; thread-safe.
 */
public final class TrustedProxies {
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final int MAX_ENTRIES = 32;

  private final List<Cidr> ranges;

  public TrustedProxies(List<Cidr> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** Trusts nobody: the TCP peer is the client. */
  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  public List<Cidr> ranges() {
    return ranges;
  }

  /**
   * The address a request from {@code peer} with these {@code X-Forwarded-For} header values counts
   * against.
   */
  public InetAddress client(InetAddress peer, List<String> forwardedFor) {
    if (!trusted(peer) || forwardedFor.isEmpty()) {
      return peer;
    }
    List<String> hops =
        forwardedFor.stream()
            .flatMap(value -> java.util.Arrays.stream(value.split(",", -1)))
            .map(String::strip)
            .toList();
    InetAddress current = peer;
    int checked = 0;
    for (int i = hops.size() - 1; i >= 0 && checked < MAX_ENTRIES; i--, checked++) {
      Optional<InetAddress> hop = literal(hops.get(i));
      if (hop.isEmpty()) {
        return current;
      }
      current = hop.get();
      if (!trusted(current)) {
        return current;
      }
    }
    return current;
  }

  /**
   * The client address of {@code req} as text ({@link #client(InetAddress, List)} over its TCP peer
   * and {@code X-Forwarded-For}); empty when the peer is not an IP socket.
   */
  public Optional<String> clientAddress(ServerRequest req) {
    if (!(req.remotePeer().address() instanceof InetSocketAddress inet)
        || inet.getAddress() == null) {
      return Optional.empty();
    }
    InetAddress peer = inet.getAddress();
    if (ranges.isEmpty()) {
      return Optional.of(peer.getHostAddress());
    }
    List<String> forwarded = req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of);
    return Optional.of(client(peer, forwarded).getHostAddress());
  }

  private boolean trusted(InetAddress address) {
    for (Cidr range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** An IPv4 or IPv6 literal (IPv6 optionally in brackets); never resolves a name. */
  static Optional<InetAddress> literal(String text) {
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    Matcher quad = IPV4.matcher(s);
    boolean v4 = quad.matches();
    boolean v6 = !v4 && s.indexOf(':') >= 0 && IPV6.matcher(s).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    if (v4) {
      for (int octet = 1; octet <= 4; octet++) {
        if (Integer.parseInt(quad.group(octet)) > 255) {
          return Optional.empty();
        }
      }
    }
    try {
      return Optional.of(InetAddress.getByName(s)); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TrustedProxies other && other.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  @Override
  public String toString() {
    return ranges.toString();
  }
}
