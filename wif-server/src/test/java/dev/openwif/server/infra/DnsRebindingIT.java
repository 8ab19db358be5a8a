package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.openwif.oidc.FetchedDocument;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding between the SSRF check and the connection: the fetch must connect to the address
 * the guard checked, never to what the name resolves to afterwards. Two real servers on the same
 * port: 127.0.0.2 stands for the address the check saw, 127.0.0.1 for the one DNS answers when the
 * client connects ({@code localhost} resolves to it in the system's resolver, which the old
 * fetcher's HTTP client consulted again). Each counts its hits.
 */
class DnsRebindingIT {
  private HttpServer checked;
  private HttpServer rebound;
  private final AtomicInteger checkedHits = new AtomicInteger();
  private final AtomicInteger reboundHits = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    checked = server("127.0.0.2", 0, checkedHits, "{\"keys\":[],\"from\":\"checked\"}");
    rebound =
        server(
            "127.0.0.1",
            checked.getAddress().getPort(),
            reboundHits,
            "{\"keys\":[],\"from\":\"rebound\"}");
  }

  @AfterEach
  void stop() {
    checked.stop(0);
    rebound.stop(0);
  }

  @Test
  void fetchWhenNameResolvesElsewhereAfterTheCheckThenConnectsOnlyToTheCheckedAddress()
      throws IOException {
    AtomicInteger lookups = new AtomicInteger();
    OutboundUrlGuard guard =
        new OutboundUrlGuard(
            true,
            host -> {
              lookups.incrementAndGet();
              // the check's answer; any later lookup (a rebinding DNS) would say 127.0.0.1
              return new InetAddress[] {
                InetAddress.getByName(lookups.get() == 1 ? "127.0.0.2" : "127.0.0.1")
              };
            });
    HttpJwksFetcher fetcher =
        new HttpJwksFetcher(guard, Duration.ofSeconds(2), Duration.ofSeconds(4), 64 * 1024);

    FetchedDocument document =
        fetcher.fetch(
            URI.create("http://localhost:" + checked.getAddress().getPort() + "/jwks.json"));

    assertThat(document.body()).contains("checked");
    assertThat(checkedHits).hasValue(1);
    assertThat(reboundHits).as("the address DNS gave after the check is never reached").hasValue(0);
    assertThat(lookups).as("the name is resolved once, by the check").hasValue(1);
  }

  /**
   * A JVM-wide proxy (as {@code -Dhttp.proxyHost} or a platform proxy selector would set) must not
   * carry issuer fetches: a proxy connects on its own, to whatever the name or address it is given
   * leads to from where it stands, past the pinned, checked address. The proxy here is a real HTTP
   * {@code CONNECT} tunnel on 127.0.0.1 that counts connections and records what it was asked for;
   * Helidon's client, by default, asks the default {@link ProxySelector} and tunnels through what
   * it names.
   */
  @Test
  void fetchWhenJvmHasSystemProxyThenConnectsDirectlyToTheCheckedAddressNeverThroughTheProxy()
      throws IOException {
    Queue<String> asked = new ConcurrentLinkedQueue<>();
    ProxySelector previous = ProxySelector.getDefault();
    try (TunnelProxy proxy = TunnelProxy.start()) {
      ProxySelector.setDefault(
          new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
              asked.add(uri.toString());
              return List.of(new Proxy(Proxy.Type.HTTP, proxy.address()));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {}
          });
      OutboundUrlGuard guard =
          new OutboundUrlGuard(
              true,
              host -> new InetAddress[] {InetAddress.getByAddress(new byte[] {127, 0, 0, 2})});
      HttpJwksFetcher fetcher =
          new HttpJwksFetcher(guard, Duration.ofSeconds(2), Duration.ofSeconds(4), 64 * 1024);

      FetchedDocument document =
          fetcher.fetch(
              URI.create("http://localhost:" + checked.getAddress().getPort() + "/jwks.json"));

      assertThat(proxy.requests())
          .as("connections the system proxy saw (their CONNECT lines)")
          .isEmpty();
      assertThat(asked)
          .as("the selector is asked about http(s) URLs no more (only socket:// for SOCKS)")
          .allMatch(uri -> uri.startsWith("socket://"));
      assertThat(document.body()).contains("checked");
      assertThat(checkedHits).hasValue(1);
      assertThat(reboundHits).hasValue(0);
    } finally {
      ProxySelector.setDefault(previous);
    }
  }

  /**
   * A JVM-wide SOCKS proxy ({@code -DsocksProxyHost}) is followed by every plain socket that names
   * no proxy, Helidon's included: the fetch is refused, naming it, rather than sent through it. The
   * "SOCKS proxy" is a listener on 127.0.0.1 that counts the connections it accepts.
   */
  @Test
  void fetchWhenJvmHasSocksProxyThenRefusedNamingItAndNothingConnects() throws IOException {
    ProxySelector previous = ProxySelector.getDefault();
    AtomicInteger socksConnections = new AtomicInteger();
    try (ServerSocket socks = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                while (!socks.isClosed()) {
                  try {
                    Socket accepted = socks.accept();
                    socksConnections.incrementAndGet();
                    accepted.close();
                  } catch (IOException e) {
                    return; // closed
                  }
                }
              });
      InetSocketAddress socksAddress =
          new InetSocketAddress(socks.getInetAddress(), socks.getLocalPort());
      ProxySelector.setDefault(
          new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
              return List.of(new Proxy(Proxy.Type.SOCKS, socksAddress));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {}
          });
      OutboundUrlGuard guard =
          new OutboundUrlGuard(
              true,
              host -> new InetAddress[] {InetAddress.getByAddress(new byte[] {127, 0, 0, 2})});
      HttpJwksFetcher fetcher =
          new HttpJwksFetcher(guard, Duration.ofSeconds(2), Duration.ofSeconds(4), 64 * 1024);
      URI url = URI.create("http://localhost:" + checked.getAddress().getPort() + "/jwks.json");

      assertThatThrownBy(() -> fetcher.fetch(url))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("SOCKS proxy")
          .hasMessageContaining("connect only directly");
      assertThat(socksConnections).as("connections the SOCKS proxy accepted").hasValue(0);
      assertThat(checkedHits).hasValue(0);
      assertThat(reboundHits).hasValue(0);
    } finally {
      ProxySelector.setDefault(previous);
    }
  }

  /**
   * A minimal HTTP {@code CONNECT} proxy on 127.0.0.1: records each connection's request line,
   * connects to the named target (resolving a name itself, as a real proxy does), answers 200 and
   * relays bytes both ways. Every read has a timeout; closing it stops everything.
   */
  private static final class TunnelProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final Queue<String> requests = new ConcurrentLinkedQueue<>();
    private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();

    private TunnelProxy(ServerSocket listener) {
      this.listener = listener;
    }

    static TunnelProxy start() throws IOException {
      TunnelProxy proxy =
          new TunnelProxy(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()));
      Thread.ofVirtual().name("test-proxy-accept").start(proxy::acceptLoop);
      return proxy;
    }

    InetSocketAddress address() {
      return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    List<String> requests() {
      return List.copyOf(requests);
    }

    private void acceptLoop() {
      while (!listener.isClosed()) {
        try {
          Socket client = listener.accept();
          sockets.add(client);
          Thread.ofVirtual().start(() -> tunnel(client));
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void tunnel(Socket client) {
      try {
        client.setSoTimeout(5_000);
        String head = readHead(client.getInputStream());
        String requestLine = head.lines().findFirst().orElse("");
        requests.add(requestLine);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length < 2 || !parts[0].equals("CONNECT")) {
          client.close();
          return;
        }
        URI target = URI.create("tcp://" + parts[1]);
        Socket upstream = new Socket();
        sockets.add(upstream);
        upstream.connect(new InetSocketAddress(target.getHost(), target.getPort()), 2_000);
        upstream.setSoTimeout(5_000);
        client
            .getOutputStream()
            .write(
                "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Thread.ofVirtual().start(() -> relay(upstream, client));
        relay(client, upstream);
      } catch (IOException | RuntimeException e) {
        closeQuietly(client);
      }
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (matched < end.length && head.size() < 8192) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.US_ASCII);
    }

    private static void relay(Socket from, Socket to) {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
      } catch (IOException e) {
        // either side closed or timed out
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }

    private static void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      sockets.forEach(TunnelProxy::closeQuietly);
    }
  }

  private static HttpServer server(String address, int port, AtomicInteger hits, String body)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    server.createContext(
        "/",
        exchange -> {
          hits.incrementAndGet();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    return server;
  }
}
