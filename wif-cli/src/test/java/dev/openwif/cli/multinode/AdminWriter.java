package dev.openwif.cli.multinode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Admin writes while something fails: one thread per node creates projects on that node directly,
 * one after another, and remembers each creation the node acknowledged (2xx, with the new id);
 * anything else counts as refused. Thread-safe.
 */
final class AdminWriter implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String adminKey;
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicInteger sequence = new AtomicInteger();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;

  private AdminWriter(HttpClient http, String adminKey) {
    this.http = http;
    this.adminKey = adminKey;
  }

  static AdminWriter start(HttpClient http, List<String> nodeUrls, String adminKey) {
    AdminWriter writer = new AdminWriter(http, adminKey);
    for (String url : nodeUrls) {
      writer.writers.add(
          Thread.ofPlatform().daemon().name("admin-writer").start(() -> writer.write(url)));
    }
    return writer;
  }

  private void write(String url) {
    while (running) {
      String name = "written-" + sequence.incrementAndGet();
      try {
        JsonNode created =
            send(http, url, "/projects", adminKey, JSON.createObjectNode().put("name", name));
        acknowledged.put(created.path("id").asText(), name);
      } catch (IllegalStateException e) {
        refused.incrementAndGet();
        pause(Duration.ofMillis(100));
      }
      pause(Duration.ofMillis(20));
    }
  }

  /** The projects whose creation was acknowledged, id to name. */
  Map<String, String> acknowledged() {
    return Map.copyOf(acknowledged);
  }

  long refused() {
    return refused.get();
  }

  /**
   * {@code POST} ({@code body} given) or {@code GET} of {@code /v1/organization{path}} on {@code
   * url} with the admin key; the JSON answer of a 2xx with an {@code id}, else an {@link
   * IllegalStateException} saying what came back.
   */
  static JsonNode send(
      HttpClient http, String url, String path, String adminKey, @Nullable ObjectNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + "/v1/organization" + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + adminKey);
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    String what = (body == null ? "GET " : "POST ") + url + path;
    try {
      HttpResponse<String> answer =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            what + " answered " + answer.statusCode() + ": " + answer.body());
      }
      JsonNode json = JSON.readTree(answer.body());
      if (json.path("id").asText().isBlank()) {
        throw new IllegalStateException(what + " answered no id: " + answer.body());
      }
      return json;
    } catch (IOException e) {
      throw new IllegalStateException(what + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted", e);
    }
  }

  private void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops the writers (each finishes its request: at most 15 s). Idempotent. */
  void stop() {
    running = false;
    try {
      for (Thread writer : writers) {
        if (!writer.join(TIMEOUT.plusSeconds(5))) {
          writer.interrupt();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
