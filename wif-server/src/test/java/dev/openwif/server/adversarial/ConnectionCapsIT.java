package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import dev.openwif.server.http.ConnectionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP listener's connection caps against hostile clients on raw sockets (a real server on
 * 127.0.0.1): slow-loris clients dripping their request head are cut off within the header timeout,
 * a flood of connections beyond the cap is refused at once, and legitimate requests are served
 * promptly throughout. Every loop is bounded in time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionCapsIT {
  private static final int MAX_CONNECTIONS = 20;
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path dir;
  private WifServer server;
  private final List<Socket> sockets = new ArrayList<>();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @BeforeEach
  void start() {
    server =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(dir.resolve("wif.db").toString())
                .withDev(true)
                .withConnectionLimits(
                    new ConnectionLimits(
                        MAX_CONNECTIONS, 100, HEADER_TIMEOUT, Duration.ofSeconds(30))));
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    server.close();
  }

  @Test
  void slowLorisWhenHeadsDripOneByteAtATimeThenClosedWithinHeaderTimeoutAndOthersServed()
      throws Exception {
    // 10 clients dripping a request line and 5 more dripping headers after a complete request line
    List<Future<Duration>> lorises = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      Socket socket = connect();
      boolean requestLine = i < 10;
      lorises.add(
          threads.submit(
              () ->
                  requestLine
                      ? drip(socket, "", "GET /healthz HTTP/1.1\r\n")
                      : drip(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\n", "X-Slow: aaaa")));
    }
    Thread.sleep(500);

    long start = System.nanoTime();
    assertThat(get("/healthz")).startsWith("HTTP/1.1 200");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("a normal request is served promptly while the lorises drip")
        .isLessThan(Duration.ofSeconds(2));

    for (Future<Duration> loris : lorises) {
      assertThat(loris.get(15, TimeUnit.SECONDS))
          .as(
              "a slow-loris connection is closed within the header timeout (2 s) and a 2.5 s margin for a loaded machine")
          .isLessThan(HEADER_TIMEOUT.plusMillis(2500));
    }
    assertThat(server.connectionGuard().slowHeadsClosed()).isGreaterThanOrEqualTo(15);
    assertThat(get("/healthz")).startsWith("HTTP/1.1 200");
  }

  @Test
  void floodWhenMoreConnectionsThanTheCapThenExcessRefusedAtOnceAndLegitimateRequestsServed()
      throws Exception {
    Socket kept = connect();
    assertThat(request(kept, "/healthz", true)).startsWith("HTTP/1.1 200");

    // the flood: twice the cap in idle connections that never send a byte
    List<Socket> flood = new ArrayList<>();
    for (int i = 0; i < MAX_CONNECTIONS * 2; i++) {
      flood.add(connect());
    }
    int refused = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    for (Socket socket : flood) {
      socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      String answer = readAll(socket);
      if (answer != null) {
        assertThat(answer)
            .satisfiesAnyOf(
                a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 503"));
        refused++;
      }
    }
    assertThat(refused)
        .as("connections beyond the cap of %d are refused within 3 s", MAX_CONNECTIONS)
        .isGreaterThanOrEqualTo(MAX_CONNECTIONS);
    assertThat(server.connectionGuard().refusedConnections())
        .isGreaterThanOrEqualTo(MAX_CONNECTIONS);

    // longer than the header timeout: a kept-alive connection between requests is not a slow head
    Thread.sleep(HEADER_TIMEOUT.plusSeconds(1).toMillis());
    assertThat(request(kept, "/healthz", false))
        .as("a connection open before the flood, idle past the header timeout, is still served")
        .startsWith("HTTP/1.1 200");

    // the flood's idle connections are closed by the header timeout; then new clients get in
    long until = System.nanoTime() + HEADER_TIMEOUT.plusSeconds(3).toNanos();
    String answer = "";
    while (System.nanoTime() < until) {
      answer = get("/healthz");
      if (answer.startsWith("HTTP/1.1 200")) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(answer)
        .as("a new client is served once the flood is cleared")
        .startsWith("HTTP/1.1 200");
  }

  /**
   * Sends {@code complete} at once, then {@code dripped} one byte every 400 ms; how long until the
   * server closed the connection (bounded: 12 s, then reported as 12 s).
   */
  private static Duration drip(Socket socket, String complete, String dripped) throws IOException {
    long start = System.nanoTime();
    OutputStream out = socket.getOutputStream();
    out.write(complete.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] drip = dripped.getBytes(StandardCharsets.US_ASCII);
    socket.setSoTimeout(400);
    InputStream in = socket.getInputStream();
    long giveUp = start + TimeUnit.SECONDS.toNanos(12);
    for (int i = 0; System.nanoTime() < giveUp; i++) {
      try {
        out.write(drip[i % drip.length]);
        out.flush();
        if (in.read() == -1) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (SocketTimeoutException e) {
        // still open: drip on
      } catch (SocketException e) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
    }
    return Duration.ofSeconds(12);
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2_000);
    return socket;
  }

  /** One request on a fresh connection: the status line and headers, or "" when cut off. */
  private String get(String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2_000);
      socket.setSoTimeout(2_000);
      return request(socket, path, false);
    }
  }

  private static String request(Socket socket, String path, boolean keepAlive) throws IOException {
    socket.setSoTimeout(2_000);
    socket
        .getOutputStream()
        .write(
            ("GET "
                    + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (keepAlive ? "" : "Connection: close\r\n")
                    + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    StringBuilder answer = new StringBuilder();
    InputStream in = socket.getInputStream();
    try {
      int c;
      while ((c = in.read()) != -1) {
        answer.append((char) c);
        if (answer.toString().endsWith("\r\n\r\nok")) {
          break;
        }
      }
    } catch (SocketException e) {
      // cut off
    }
    return answer.toString();
  }

  /** What the server sent before closing, or null when it kept the connection open. */
  private static String readAll(Socket socket) throws IOException {
    StringBuilder answer = new StringBuilder();
    InputStream in = socket.getInputStream();
    try {
      int c;
      while ((c = in.read()) != -1) {
        answer.append((char) c);
      }
      return answer.toString();
    } catch (SocketTimeoutException e) {
      return null;
    } catch (SocketException e) {
      return answer.toString(); // reset: refused
    }
  }
}
