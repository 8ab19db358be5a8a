package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.ReasonCode;
import dev.openwif.server.RateLimits;
import dev.openwif.server.http.Cidr;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse limits over real HTTP on a server with small limits and a clock the test moves: exchanges
 * per client address and per provider (429 {@code slow_down} with {@code Retry-After}, audited
 * {@code rate_limited}, no access token), and failed admin authentications per address (429 for
 * wrong keys from that address until the bucket refills; a valid key is never throttled and a
 * request without a key costs nothing). Other client addresses are sent from 127.0.0.2 and up over
 * raw sockets; 127.0.0.1 is a trusted proxy, whose {@code X-Forwarded-For} names the client.
 */
@ExtendWith(AdversarialCases.class)
class RateLimitIT {
  @TempDir static Path dir;
  static final MutableClock clock = MutableClock.startingNow();
  static Arena arena;

  @BeforeAll
  static void start() {
    // per address: burst 3, 1/s; per provider: burst 5, 1/s; admin: 3 failures per minute
    arena =
        Arena.start(
                dir,
                clock,
                config ->
                    config
                        .withRateLimits(new RateLimits(1, 3, 1, 5, 3))
                        .withTrustedProxies(
                            new TrustedProxies(java.util.List.of(Cidr.parse("127.0.0.1")))))
            .uploaded();
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  @Test
  void exchangeWhenAddressBurstSpentThen429SlowDownRetryAfterAuditedUntilRefilled() {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    for (int i = 0; i < 3; i++) {
      arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
    }

    Optional<String> before = arena.newestExchangeEventId();
    String token = fed.subjectToken(clock);
    LiveServer.Reply limited = arena.exchange(token, fed.providerId(), fed.accountId());
    arena.assertRefusedReply(
        limited, before, 429, "slow_down", ReasonCode.RATE_LIMITED, Optional.of(token));
    assertThat(limited.header("Retry-After")).contains("1");

    clock.advance(Duration.ofSeconds(1));
    arena.assertIssued(fed.subjectToken(clock), fed.providerId(), fed.accountId());
    clock.advance(Duration.ofSeconds(10));
  }

  @Test
  void exchangeWhenBehindATrustedProxyThenThePerAddressLimitIsPerForwardedClient()
      throws IOException {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    clock.advance(Duration.ofSeconds(10)); // every bucket full again
    for (int i = 0; i < 3; i++) {
      assertThat(statusOf(exchangeVia("198.51.100.7", fed))).isEqualTo(200);
    }
    assertThat(statusOf(exchangeVia("198.51.100.7", fed))).isEqualTo(429);
    assertThat(statusOf(exchangeVia("198.51.100.8", fed)))
        .as("another client behind the same proxy")
        .isEqualTo(200);
    clock.advance(Duration.ofSeconds(10));
  }

  @Test
  void exchangeWhenProviderBurstSpentFromManyAddressesThen429ForEveryone() throws IOException {
    Federation fed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    clock.advance(Duration.ofSeconds(10)); // every bucket full again
    for (int i = 0; i < 5; i++) {
      String response = exchangeFrom("127.0.0." + (2 + i % 3), fed);
      assertThat(statusOf(response)).as(response).isEqualTo(200);
    }

    String response = exchangeFrom("127.0.0.5", fed);

    assertThat(statusOf(response)).as(response).isEqualTo(429);
    assertThat(response).contains("\"error\":\"slow_down\"").doesNotContain("access_token");
    assertThat(arena.server.lastExchangeEvent().get("reason_code").asText())
        .isEqualTo("rate_limited");
    clock.advance(Duration.ofSeconds(10));
  }

  @Test
  void adminWhenTooManyWrongKeysThen429ForWrongKeysButTheRightKeyStillWorks() throws IOException {
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 3; i++) {
      assertThat(adminFrom("127.0.0.9", "wifadm_wrong_" + i)).startsWith("HTTP/1.1 401");
    }

    String blocked = adminFrom("127.0.0.9", "wifadm_wrong_again");
    assertThat(statusOf(blocked)).isEqualTo(429);
    assertThat(blocked)
        .containsIgnoringCase("retry-after: 20")
        .containsIgnoringCase("x-should-retry: false")
        .contains("too_many_failed_authentications");
    assertThat(statusOf(adminFrom("127.0.0.9", LiveServer.ADMIN_KEY)))
        .as("a valid admin key is never throttled")
        .isEqualTo(200);
    assertThat(statusOf(adminFrom("127.0.0.10", "wifadm_wrong_x")))
        .as("another address has its own bucket")
        .isEqualTo(401);

    clock.advance(Duration.ofSeconds(20));
    assertThat(statusOf(adminFrom("127.0.0.9", "wifadm_wrong_later"))).isEqualTo(401);
  }

  @Test
  void adminWhenManyRequestsWithoutAKeyThenNoneCountsAndAnAdminIsNotLockedOut() throws IOException {
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 10; i++) {
      assertThat(
              statusOf(
                  rawFrom(
                      "127.0.0.11",
                      "GET /v1/organization/projects HTTP/1.1\r\nHost: x\r\nConnection:"
                          + " close\r\n\r\n")))
          .isEqualTo(401);
    }
    assertThat(statusOf(adminFrom("127.0.0.11", "wifadm_typo"))).isEqualTo(401);
    assertThat(statusOf(adminFrom("127.0.0.11", LiveServer.ADMIN_KEY))).isEqualTo(200);
  }

  @Test
  void adminWhenBehindATrustedProxyThenEachForwardedClientHasItsOwnBucket() throws IOException {
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 3; i++) {
      assertThat(statusOf(adminVia("127.0.0.1", "198.51.100.1", "wifadm_wrong_" + i)))
          .isEqualTo(401);
    }
    assertThat(statusOf(adminVia("127.0.0.1", "198.51.100.1", "wifadm_wrong"))).isEqualTo(429);
    assertThat(statusOf(adminVia("127.0.0.1", "198.51.100.2", "wifadm_wrong")))
        .as("another client behind the same proxy")
        .isEqualTo(401);
    assertThat(statusOf(adminVia("127.0.0.1", "203.0.113.5, 198.51.100.1", "wifadm_wrong")))
        .as("an entry the client wrote on the left does not change who it is")
        .isEqualTo(429);
    for (int i = 0; i < 3; i++) {
      assertThat(statusOf(adminVia("127.0.0.12", "198.51.100.3", "wifadm_wrong_" + i)))
          .isEqualTo(401);
    }
    assertThat(statusOf(adminVia("127.0.0.12", "198.51.100.4", "wifadm_wrong")))
        .as("an untrusted peer's X-Forwarded-For is ignored: its own bucket is spent")
        .isEqualTo(429);
  }

  private static String adminVia(String localAddress, String forwardedFor, String key)
      throws IOException {
    return rawFrom(
        localAddress,
        "GET /v1/organization/projects HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: "
            + forwardedFor
            + "\r\nAuthorization: Bearer "
            + key
            + "\r\nConnection: close\r\n\r\n");
  }

  private static String exchangeVia(String forwardedFor, Federation fed) throws IOException {
    String body = LiveServer.JSON.writeValueAsString(fed.exchangeParams(fed.subjectToken(clock)));
    return rawFrom(
        "127.0.0.1",
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "X-Forwarded-For: "
            + forwardedFor
            + "\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\nConnection: close\r\n\r\n"
            + body);
  }

  private static String exchangeFrom(String localAddress, Federation fed) throws IOException {
    String body = LiveServer.JSON.writeValueAsString(fed.exchangeParams(fed.subjectToken(clock)));
    return rawFrom(
        localAddress,
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\nConnection: close\r\n\r\n"
            + body);
  }

  private static String adminFrom(String localAddress, String key) throws IOException {
    return rawFrom(
        localAddress,
        "GET /v1/organization/projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + key
            + "\r\nConnection: close\r\n\r\n");
  }

  /**
   * One request from {@code localAddress} (any 127/8 address works on loopback); the whole answer.
   */
  private static String rawFrom(String localAddress, String request) throws IOException {
    URI base = URI.create(arena.server.url());
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) != -1; ) {
        answer.write(buffer, 0, n);
        String text = answer.toString(StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(text);
        if (headerEnd >= 0
            && text.getBytes(StandardCharsets.UTF_8).length
                >= headerEnd + 4 + (m.find() ? Integer.parseInt(m.group(1)) : 0)) {
          break;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static int statusOf(String response) {
    assertThat(response).startsWith("HTTP/1.1 ");
    return Integer.parseInt(response.substring(9, 12));
  }
}
