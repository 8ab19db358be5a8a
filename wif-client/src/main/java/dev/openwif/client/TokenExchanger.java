package dev.openwif.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One RFC 8693 token exchange against the token endpoint, with bounded retries: connection failures
 * and 5xx are retried with exponential backoff (honouring {@code retry-after-ms}/{@code
 * retry-after} up to the maximum backoff), unless a 5xx carries {@code x-should-retry: false}; 4xx,
 * redirects and malformed success responses are not. Thread-safe (stateless besides its immutable
 * settings).
 */
final class TokenExchanger {
  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
  private static final long DEFAULT_EXPIRES_IN = 3600;

  private final ExchangeSettings settings;
  private final SubjectTokenProvider provider;
  private final HttpClient http;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  TokenExchanger(
      ExchangeSettings settings, SubjectTokenProvider provider, HttpClient http, Clock clock) {
    this.settings = settings;
    this.provider = provider;
    this.http = http;
    this.clock = clock;
  }

  /** Gets a subject token, exchanges it and returns the access token. */
  AccessToken exchange() throws InterruptedException {
    String subjectToken = subjectToken();
    HttpRequest request = request(subjectToken);
    Duration backoff = settings.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      Instant startedAt = clock.instant();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (attempt >= settings.maxAttempts()) {
          throw new TokenEndpointException(
              "Token endpoint "
                  + settings.tokenUrl()
                  + " unreachable after "
                  + attempt
                  + " attempt(s): "
                  + e,
              Optional.empty(),
              attempt,
              e);
        }
        Thread.sleep(backoff.toMillis());
        backoff = next(backoff);
        continue;
      }
      int status = response.statusCode();
      if (status == 200) {
        return TokenResponseParser.parse(json, response.body(), startedAt, attempt);
      }
      if ((status >= 500 || (status == 429 && asksToWait(response)))
          && attempt < settings.maxAttempts()
          && retryAllowed(response)) {
        Thread.sleep(retryDelay(response, backoff).toMillis());
        backoff = next(backoff);
        continue;
      }
      throw failure(response, attempt);
    }
  }

  private String subjectToken() throws InterruptedException {
    try {
      String token = provider.getToken();
      if (token == null || token.isBlank()) {
        throw new IOException("returned an empty subject token");
      }
      return token.trim();
    } catch (IOException | RuntimeException e) {
      throw new SubjectTokenProviderException(provider.description(), e);
    }
  }

  private HttpRequest request(String subjectToken) {
    ObjectNode body = json.createObjectNode();
    body.put("grant_type", GRANT_TYPE);
    body.put("subject_token", subjectToken);
    body.put("subject_token_type", provider.tokenType().urn());
    body.put("identity_provider_id", settings.identityProviderId());
    body.put("service_account_id", settings.serviceAccountId());
    settings.clientId().ifPresent(id -> body.put("client_id", id));
    try {
      return HttpRequest.newBuilder(settings.tokenUrl())
          .timeout(settings.requestTimeout())
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the token exchange request", e);
    }
  }

  private RuntimeException failure(HttpResponse<String> response, int attempts) {
    int status = response.statusCode();
    if (status >= 400 && status < 500) {
      JsonNode body = readQuietly(response.body());
      return new TokenExchangeRejectedException(
          status, text(body, "error"), text(body, "error_description"));
    }
    if (status >= 300 && status < 400) {
      return new TokenEndpointException(
          "Token endpoint "
              + settings.tokenUrl()
              + " redirected (status "
              + status
              + "); set the token URL to the final address",
          Optional.of(status),
          attempts,
          null);
    }
    return new TokenEndpointException(
        "Token endpoint "
            + settings.tokenUrl()
            + " failed with status "
            + status
            + " after "
            + attempts
            + " attempt(s)",
        Optional.of(status),
        attempts,
        null);
  }

  private JsonNode readQuietly(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return json.nullNode();
    }
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode node = body == null ? null : body.get(field);
    return node != null && node.isTextual() && !node.asText().isBlank()
        ? Optional.of(node.asText())
        : Optional.empty();
  }

  /** False when the server said {@code x-should-retry: false}, as the official SDKs honour it. */
  private static boolean retryAllowed(HttpResponse<String> response) {
    return response
        .headers()
        .firstValue("x-should-retry")
        .map(v -> !"false".equalsIgnoreCase(v.trim()))
        .orElse(true);
  }

  /** A 429 is retried only when it says how long to wait ({@code slow_down} does). */
  private static boolean asksToWait(HttpResponse<String> response) {
    return response.headers().firstValue("retry-after").isPresent()
        || response.headers().firstValue("retry-after-ms").isPresent();
  }

  /**
   * How long to wait before the next attempt: what the server asked (plus up to 10 %), else the
   * backoff with full jitter between half and all of it, so that many workloads turned away at once
   * do not come back at once; never more than the maximum backoff.
   */
  private Duration retryDelay(HttpResponse<String> response, Duration backoff) {
    Optional<Duration> asked =
        response
            .headers()
            .firstValue("retry-after-ms")
            .flatMap(TokenExchanger::millis)
            .or(
                () ->
                    response.headers().firstValue("retry-after").flatMap(TokenExchanger::seconds));
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    Duration delay =
        asked
            .map(d -> d.plusMillis((long) (d.toMillis() * 0.1 * random.nextDouble())))
            .orElseGet(
                () ->
                    Duration.ofMillis(
                        backoff.toMillis() / 2
                            + (long) (backoff.toMillis() / 2.0 * random.nextDouble())));
    return delay.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : delay;
  }

  private static Optional<Duration> millis(String value) {
    try {
      long ms = (long) Double.parseDouble(value.trim());
      return ms >= 0 ? Optional.of(Duration.ofMillis(ms)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> seconds(String value) {
    try {
      long s = Long.parseLong(value.trim());
      return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Duration next(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
  }

  static long defaultExpiresIn() {
    return DEFAULT_EXPIRES_IN;
  }

  /** The target and retry settings of an exchange. */
  record ExchangeSettings(
      URI tokenUrl,
      String identityProviderId,
      String serviceAccountId,
      Optional<String> clientId,
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration requestTimeout) {}
}
