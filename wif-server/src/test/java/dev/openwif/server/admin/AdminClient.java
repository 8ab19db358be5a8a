package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.server.OpenApiContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A tiny admin API client for tests: real HTTP, JSON in and out; every answer is checked against
 * the OpenAPI description ({@link OpenApiContract}).
 */
final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final Optional<String> key;

  AdminClient(String baseUrl, Optional<String> key) {
    OpenApiContract.get(); // compiled now, not in the middle of a test
    this.base = baseUrl + "/v1/organization";
    this.key = key;
  }

  record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    String errorParam() {
      return body.path("error").path("param").asText(null);
    }

    /** The {@code ETag} header; fails when absent. */
    String etag() {
      return raw.headers().firstValue("ETag").orElseThrow();
    }

    String errorCode() {
      return body.path("error").path("code").asText(null);
    }

    String errorMessage() {
      return body.path("error").path("message").asText("");
    }
  }

  Reply get(String path) {
    return send(builder(path).GET());
  }

  Reply delete(String path) {
    return send(builder(path).DELETE());
  }

  Reply post(String path, String json) {
    return send(
        builder(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** {@code DELETE} with {@code If-Match: ifMatch}. */
  Reply delete(String path, String ifMatch) {
    return send(builder(path).header("If-Match", ifMatch).DELETE());
  }

  /** {@code POST} of {@code body} as JSON with {@code If-Match: ifMatch}. */
  Reply post(String path, Object body, String ifMatch) {
    try {
      return send(
          builder(path)
              .header("If-Match", ifMatch)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Reply post(String path, Object body) {
    try {
      return post(path, JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder builder(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    key.ifPresent(k -> b.header("Authorization", "Bearer " + k));
    return b;
  }

  Reply send(HttpRequest.Builder request) {
    try {
      // every answer is held to docs/openapi.json
      HttpResponse<String> response =
          OpenApiContract.checked(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
      JsonNode body =
          response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
      return new Reply(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpClient http() {
    return http;
  }

  String base() {
    return base;
  }
}
