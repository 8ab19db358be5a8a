package dev.openwif.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.FederationStore;
import dev.openwif.store.Stores;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composition root's hook: every committed admin write tells the registered change listeners.
 */
class MainChangeListenerIT {
  static final String KEY = "wifadm_listener_test_0123456789abcdef";

  @TempDir Path dir;
  FederationStore store;
  Main main;
  WebServer web;
  final AtomicInteger changes = new AtomicInteger();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = Stores.open(dir.resolve("wif.db").toString());
    main =
        new Main(ServerConfig.defaults().withPort(0), store, Clock.systemUTC(), "http://127.0.0.1");
    main.adminKeys.bootstrapWith(KEY);
    main.addChangeListener(changes::incrementAndGet);
    web =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(main.routing(() -> true))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    web.stop();
    main.close();
    store.close();
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + web.port() + "/v1/organization" + path))
            .header("Authorization", "Bearer " + KEY)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void adminWriteWhenCommittedThenListenerToldOnce() throws Exception {
    int before = changes.get();

    HttpResponse<String> created = post("/projects", "{\"name\":\"p\"}");

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(changes.get()).isEqualTo(before + 1);
  }

  @Test
  void adminWriteWhenRefusedThenListenerNotTold() throws Exception {
    int before = changes.get();

    HttpResponse<String> refused = post("/projects", "{\"name\":\"\"}");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(changes.get()).isEqualTo(before);
  }

  @Test
  void adminWriteWhenListenerThrowsThenStillSucceeds() throws Exception {
    main.addChangeListener(
        () -> {
          throw new IllegalStateException("snapshot rebuild failed");
        });

    HttpResponse<String> created = post("/projects", "{\"name\":\"p2\"}");

    assertThat(created.statusCode()).isEqualTo(200);
  }

  @Test
  void adminWriteWhenListenerFailsOnceThenRetriedAtOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    main.addChangeListener(
        () -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("snapshot rebuild failed");
          }
        });

    HttpResponse<String> created = post("/projects", "{\"name\":\"p3\"}");
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (calls.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(calls.get()).isEqualTo(2);
  }
}
