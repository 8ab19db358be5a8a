package dev.openwif.server.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Whether the JVM's proxy settings would send a plain {@link java.net.Socket} connection through a
 * SOCKS proxy. A socket created without an explicit proxy (as Helidon's client creates it when told
 * to use none) asks {@link ProxySelector#getDefault()} about {@code socket://HOST:PORT} when it
 * connects, and goes through the SOCKS proxy named first ({@code -DsocksProxyHost}, or a platform
 * or installed selector); any other first answer means a direct connection. This asks the same
 * question the same way, so that an issuer fetch can refuse instead of leaving the server through a
 * proxy.
 */
final class JvmSocksProxy {
  private JvmSocksProxy() {}

  /** The SOCKS proxy a connection to {@code address:port} would go through, if any. */
  static Optional<SocketAddress> routeFor(InetAddress address, int port) throws IOException {
    ProxySelector selector = ProxySelector.getDefault();
    if (selector == null) {
      return Optional.empty();
    }
    // the socket's own form: the address's host string (its name when it carries one), no lookup
    String host = new InetSocketAddress(address, port).getHostString();
    URI uri;
    try {
      uri = new URI("socket", null, host, port, null, null, null);
    } catch (URISyntaxException e) {
      throw new IOException("cannot ask the JVM's proxy selector about " + host, e);
    }
    List<Proxy> proxies;
    try {
      proxies = selector.select(uri);
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot ask the JVM's proxy selector about " + uri, e);
    }
    if (proxies == null || proxies.isEmpty()) {
      return Optional.empty();
    }
    Proxy first = proxies.getFirst();
    if (first == null || first.type() != Proxy.Type.SOCKS) {
      return Optional.empty();
    }
    return Optional.ofNullable(first.address());
  }
}
