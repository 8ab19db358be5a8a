package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.openwif.oidc.FetchedDocument;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
