package dev.openwif.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * The admin API over HTTP ({@code /v1/organization/...} with {@code Authorization: Bearer <admin
 * key>}), as an operator's script would call it. A non-2xx answer or an unreachable server is a
 * {@link DemoFailure} naming the call and the status. Thread-safe.
 */
final class AdminClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String baseUrl;
  private final String adminKey;
  private final HttpClient http;
  private final ObjectMapper json;

  AdminClient(String baseUrl, String adminKey, HttpClient http, ObjectMapper json) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.adminKey = Objects.requireNonNull(adminKey, "adminKey");
    this.http = Objects.requireNonNull(http, "http");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** {@code POST /v1/organization{path}} with a JSON body; returns the JSON answer. */
  JsonNode post(String path, JsonNode body) {
    try {
      return send(
          "POST " + path,
          request(path)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
    } catch (IOException e) {
      throw new DemoFailure("POST " + path + " could not be sent: " + e.getMessage(), e);
    }
  }

  /** {@code GET /v1/organization{pathAndQuery}}; returns the JSON answer. */
  JsonNode get(String pathAndQuery) {
    return send("GET " + pathAndQuery, request(pathAndQuery).GET());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/organization" + path))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + adminKey);
  }

  private JsonNode send(String what, HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DemoFailure(what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailure(what + " was interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new DemoFailure(what + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new DemoFailure(what + " answered something that is not JSON", e);
    }
  }
}
