package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.ReasonCode;
import dev.openwif.server.sts.LiveServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Size caps on what a client may send, over raw sockets where an HTTP client would refuse to send
 * it: bodies over the token endpoint's and admin API's 64 KiB (declared or chunked: 400 {@code
 * invalid_request} and 413), a header block over Helidon's 16 KiB default (400) and a request line
 * over its 4 KiB default (414), both refused before any handler runs; ordinary sizes are served.
 */
@ExtendWith(AdversarialCases.class)
class AbuseLimitsIT {
  @TempDir static Path dir;
  static Arena arena;

  @BeforeAll
  static void start() {
    arena = Arena.start(dir).uploaded();
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  @Test
  void tokenEndpointWhenDeclaredBodyOver64KibThen400InvalidRequestAudited() {
    Optional<String> before = arena.newestExchangeEventId();
    LiveServer.Reply reply =
        arena.server.post(
            "/oauth/token",
            "application/json",
            "{\"a\":\"" + "x".repeat(64 * 1024) + "\"}",
            Optional.empty());
    arena.assertRefusedReply(
        reply, before, 400, "invalid_request", ReasonCode.INVALID_REQUEST, Optional.empty());
  }

  @Test
  void tokenEndpointWhenChunkedBodyOver64KibThen400InvalidRequest() throws IOException {
    String chunk = "x".repeat(16 * 1024);
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      body.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    body.append("0\r\n\r\n");
    String response =
        raw(
            "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + body);

    assertThat(statusOf(response)).isEqualTo(400);
    assertThat(response).contains("\"error\":\"invalid_request\"").doesNotContain("access_token");
  }

  @Test
  void adminWhenBodyOver64KibThen413() {
    LiveServer.Reply reply =
        arena.server.admin("POST", "/projects", "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}");

    assertThat(reply.status()).isEqualTo(413);
  }

  @Test
  void anyRouteWhenHeaderBlockHugeThenRefusedBeforeHandlers() throws IOException {
    String response =
        raw(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(128 * 1024)
                + "\r\nConnection: close\r\n\r\n");

    assertThat(statusOf(response)).isEqualTo(400);
  }

  @Test
  void anyRouteWhenRequestLineHugeThenRefusedBeforeHandlers() throws IOException {
    String response =
        raw(
            "GET /healthz?"
                + "q".repeat(64 * 1024)
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(statusOf(response)).isEqualTo(414);
  }

  @Test
  void anyRouteWhenThousandsOfHeadersThenRefusedBeforeHandlers() throws IOException {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      headers.append("X-H").append(i).append(": v\r\n");
    }
    String response =
        raw("GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n");

    assertThat(statusOf(response)).isEqualTo(400);
  }

  @Test
  void anyRouteWhenHeaderAndRequestLineOrdinaryThenServed() throws IOException {
    String response =
        raw(
            "GET /healthz?"
                + "q".repeat(2000)
                + " HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(8 * 1024)
                + "\r\nConnection: close\r\n\r\n");

    assertThat(statusOf(response)).isEqualTo(200);
  }

  /**
   * Sends bytes on a fresh connection and reads the answer (the server may close early: what came
   * is returned).
   */
  private static String raw(String request) throws IOException {
    URI base = URI.create(arena.server.url());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (IOException closedEarly) {
        // The server answered and closed while we were still sending: read what it said.
      }
      InputStream in = socket.getInputStream();
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) != -1; ) {
        answer.write(buffer, 0, n);
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd >= 0 && text.length() >= headerEnd + 4 + contentLength(text)) {
          break; // a whole answer: do not wait for the server to close
        }
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static int contentLength(String head) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(head);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static int statusOf(String response) {
    assertThat(response).as("an HTTP answer").startsWith("HTTP/1.1 ");
    return Integer.parseInt(response.substring(9, 12));
  }
}
