package dev.openwif.bench.soak;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The driver's HTTP calls to the server: JSON in, status and body out, every call bounded by a
 * timeout. A request that gets no HTTP answer (refused, reset, timed out) is {@link
 * Outcome#NO_ANSWER}, never an exception. Thread-safe.
 */
final class SoakHttp {
  /** One answer: the status (0 when there was none) and the body. */
  record Answer(int status, String body) {
    Outcome outcome() {
      return status == 0 ? Outcome.NO_ANSWER : Outcome.of(status);
    }

    /** The body as a JSON object, or empty when it is not one. */
    Optional<Map<String, Object>> json() {
      try {
        return Optional.of(JSONObjectUtils.parse(body));
      } catch (ParseException e) {
        return Optional.empty();
      }
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final String base;

  SoakHttp(String base) {
    this.base = Objects.requireNonNull(base, "base");
  }

  String base() {
    return base;
  }

  /**
   * Sends {@code method path} with an optional JSON body and headers (name, value pairs), waiting
   * at most {@code timeout}.
   */
  Answer send(
      String method, String path, Optional<String> json, Duration timeout, String... headers)
      throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .method(
                method,
                json.map(b -> HttpRequest.BodyPublishers.ofString(b, StandardCharsets.UTF_8))
                    .orElseGet(HttpRequest.BodyPublishers::noBody));
    if (json.isPresent()) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Answer(0, e.getClass().getSimpleName());
    }
  }
}
