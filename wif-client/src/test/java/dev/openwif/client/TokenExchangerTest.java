package dev.openwif.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.client.ScriptedHttpServer.Reply;
import dev.openwif.testkit.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenExchangerTest {
  private final ScriptedHttpServer endpoint = ScriptedHttpServer.start();
  private final MutableClock clock = MutableClock.fixed();

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private TokenExchanger exchanger(URI tokenUrl, SubjectTokenProvider provider) {
    return new TokenExchanger(
        new TokenExchanger.ExchangeSettings(
            tokenUrl,
            "wip_1",
            "sa_1",
            Optional.empty(),
            3,
            Duration.ofMillis(1),
            Duration.ofMillis(20),
            Duration.ofSeconds(5)),
        provider,
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(),
        clock);
  }

  private TokenExchanger exchanger() {
    return exchanger(endpoint.uri("/oauth/token"), SubjectTokenProvider.jwt(() -> "subject"));
  }

  static Stream<Arguments> oauthRejections() {
    return Stream.of(
        Arguments.of(Named.of("400 invalid_grant", 400), "invalid_grant", "No rule matches"),
        Arguments.of(
            Named.of("401 invalid_subject_token", 401), "invalid_subject_token", "Token expired"),
        Arguments.of(
            Named.of("403 invalid_target", 403), "invalid_target", "Service account disabled"));
  }

  /** A named integer for readable parameterized test names. */
  record Named(String name, int status) {
    static Named of(String name, int status) {
      return new Named(name, status);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oauthRejections")
  void exchangeWhenOauthErrorThenRejectedWithCodeAndDescriptionAndNoRetry(
      Named status, String code, String description) {
    endpoint.otherwise(
        Reply.json(
            status.status(),
            "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}"));

    assertThatThrownBy(() -> exchanger().exchange())
        .isInstanceOfSatisfying(
            TokenExchangeRejectedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status.status());
              assertThat(e.error()).contains(code);
              assertThat(e.errorDescription()).contains(description);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Token exchange rejected with status "
                          + status.status()
                          + ": "
                          + code
                          + " ("
                          + description
                          + ")");
            });
    assertThat(endpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void exchangeWhenNotFoundWithoutOauthBodyThenRejectedWithStatusOnly() {
    endpoint.otherwise(Reply.text(404, "no such page"));

    assertThatThrownBy(() -> exchanger().exchange())
        .isInstanceOfSatisfying(
            TokenExchangeRejectedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.error()).isEmpty();
              assertThat(e.errorDescription()).isEmpty();
            });
    assertThat(endpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void exchangeWhenTooManyRequestsWithoutRetryAfterThenNotRetried() {
    endpoint.otherwise(Reply.json(429, "{\"error\":\"slow_down\"}"));

    assertThatThrownBy(() -> exchanger().exchange())
        .isInstanceOf(TokenExchangeRejectedException.class);
    assertThat(endpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void exchangeWhenTooManyRequestsWithRetryAfterThenRetriedAfterTheWait() throws Exception {
    endpoint
        .then(Reply.json(429, "{\"error\":\"slow_down\"}").withHeader("retry-after", "0"))
        .then(Reply.tokenExchange("at-after-slow-down", 3600));

    AccessToken token = exchanger().exchange();

    assertThat(token.value()).isEqualTo("at-after-slow-down");
    assertThat(endpoint.requestCount()).isEqualTo(2);
  }

  @Test
  void exchangeWhenServerErrorThenRetriedUntilSuccess() throws Exception {
    endpoint
        .then(Reply.json(503, "{\"error\":\"temporarily_unavailable\"}"))
        .then(Reply.text(500, "boom"))
        .then(Reply.tokenExchange("at-after-retries", 3600));

    AccessToken token = exchanger().exchange();

    assertThat(token.value()).isEqualTo("at-after-retries");
    assertThat(endpoint.requestCount()).isEqualTo(3);
  }

  @Test
  void exchangeWhenServerErrorOnEveryAttemptThenEndpointExceptionAfterMaxAttempts() {
    endpoint.otherwise(Reply.json(502, "{}"));

    assertThatThrownBy(() -> exchanger().exchange())
        .isInstanceOfSatisfying(
            TokenEndpointException.class,
            e -> {
              assertThat(e.statusCode()).contains(502);
              assertThat(e.attempts()).isEqualTo(3);
              assertThat(e.getMessage()).contains("failed with status 502 after 3 attempt(s)");
            });
    assertThat(endpoint.requestCount()).isEqualTo(3);
  }

  @Test
  void exchangeWhenServerErrorSaysShouldNotRetryThenFailsAfterOneAttempt() {
    endpoint
        .then(Reply.json(503, "{}").withHeader("x-should-retry", "false"))
        .then(Reply.tokenExchange("at-not-wanted", 3600));

    assertThatThrownBy(() -> exchanger().exchange())
        .isInstanceOfSatisfying(
            TokenEndpointException.class,
            e -> {
              assertThat(e.statusCode()).contains(503);
              assertThat(e.attempts()).isEqualTo(1);
            });
    assertThat(endpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void exchangeWhenRetryAfterAskedThenWaitIsCappedAtMaxBackoff() throws Exception {
    endpoint
        .then(Reply.json(503, "{}").withHeader("retry-after", "3600"))
        .then(Reply.tokenExchange("at-1", 3600));
    long start = System.nanoTime();

    exchanger().exchange();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(endpoint.requestCount()).isEqualTo(2);
  }

  @Test
  void exchangeWhenConnectionRefusedThenEndpointExceptionAfterRetries() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    TokenExchanger exchanger =
        exchanger(
            URI.create("http://127.0.0.1:" + closedPort + "/oauth/token"),
            SubjectTokenProvider.jwt(() -> "subject"));

    assertThatThrownBy(exchanger::exchange)
        .isInstanceOfSatisfying(
            TokenEndpointException.class,
            e -> {
              assertThat(e.statusCode()).isEmpty();
              assertThat(e.attempts()).isEqualTo(3);
              assertThat(e.getMessage()).contains("unreachable after 3 attempt(s)");
            });
  }

  @Test
  void exchangeWhenRedirectedThenFailsWithoutFollowing() {
    endpoint.otherwise(Reply.text(302, "").withHeader("Location", "/elsewhere"));

    assertThatThrownBy(() -> exchanger().exchange())
        .isInstanceOfSatisfying(
            TokenEndpointException.class,
            e -> {
              assertThat(e.statusCode()).contains(302);
              assertThat(e.getMessage()).contains("redirected");
            });
    assertThat(endpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void exchangeWhenProviderFailsThenProviderExceptionNamesItAndNothingIsSent() {
    SubjectTokenProvider failing =
        SubjectTokenProvider.of(
            SubjectTokenType.JWT,
            "token file /tmp/missing",
            () -> {
              throw new IOException("The token file /tmp/missing does not exist.");
            });

    assertThatThrownBy(() -> exchanger(endpoint.uri("/oauth/token"), failing).exchange())
        .isInstanceOfSatisfying(
            SubjectTokenProviderException.class,
            e -> {
              assertThat(e.provider()).isEqualTo("token file /tmp/missing");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Subject token provider token file /tmp/missing failed: "
                          + "The token file /tmp/missing does not exist.");
            });
    assertThat(endpoint.requestCount()).isZero();
  }

  @Test
  void exchangeWhenProviderReturnsBlankThenProviderException() {
    SubjectTokenProvider blank =
        new SubjectTokenProvider() {
          @Override
          public SubjectTokenType tokenType() {
            return SubjectTokenType.JWT;
          }

          @Override
          public String getToken() {
            return "  ";
          }
        };

    assertThatThrownBy(() -> exchanger(endpoint.uri("/oauth/token"), blank).exchange())
        .isInstanceOf(SubjectTokenProviderException.class)
        .hasMessageContaining("empty subject token");
  }
}
