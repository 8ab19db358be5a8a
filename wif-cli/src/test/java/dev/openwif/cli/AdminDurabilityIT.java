package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditLog;
import dev.openwif.audit.AuditQuery;
import dev.openwif.federation.FederationStore;
import dev.openwif.store.Stores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} during a burst of admin writes: the packaged server on SQLite receives project
 * creations from sixteen client threads and is killed (SIGKILL, no shutdown hook runs) mid-burst;
 * restarted on the same database, it has every project whose creation was answered 2xx, and each
 * has its {@code project.created} audit row. An acknowledged write is never lost, and never stored
 * without its audit row.
 */
@Tag("crypto-neutral")
class AdminDurabilityIT {
  private static final int CLIENTS = 16;
  private static final int KILL_AFTER = 60;
  private static final String KEY = "durability-test-admin-key-0123456789";
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(proj_[^\"]+)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Process launch(Path db, Path stderr) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ServeCommandIT.JAR,
                "serve",
                "--port",
                "0",
                "--db",
                db.toString())
            .redirectError(stderr.toFile());
    builder.environment().put(ServeCommand.BOOTSTRAP_ENV, KEY);
    return builder.start();
  }

  /** The base URL from the "listening" line (bounded: 60 s). */
  private static String url(Process process) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String ready =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line; (line = out.readLine()) != null; ) {
                      if (line.startsWith("OpenWIF listening on ")) {
                        return line;
                      }
                    }
                    throw new IllegalStateException("the server exited before listening");
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .get(60, TimeUnit.SECONDS);
    // keep draining stdout so the server never blocks on a full pipe
    Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
    return ready.substring("OpenWIF listening on ".length());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Creates projects from {@link #CLIENTS} threads until the server stops answering; once {@code
   * killAfter} creations were acknowledged, the next client answered 2xx kills the server at once
   * with SIGKILL (so the kill lands right after an acknowledgement, where work still pending after
   * the answer would be lost); returns the id and name of every creation answered 2xx.
   */
  private static Map<String, String> burstThenKill(
      Process server, String url, Path db, int killAfter) throws Exception {
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    Set<String> auditLate = ConcurrentHashMap.newKeySet();
    AtomicInteger sequence = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> futures = new ArrayList<>();
    long stopAt = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    try {
      for (int c = 0; c < CLIENTS; c++) {
        futures.add(
            clients.submit(
                () -> {
                  // a reader of its own, as another process would read the file
                  try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                    burst(
                        url, server, killAfter, stopAt, sequence, acknowledged, auditLate, reader);
                  }
                  return null;
                }));
      }
      assertThat(server.waitFor(25, TimeUnit.SECONDS)).as("killed").isTrue();
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
      for (Future<?> client : futures) {
        client.get(); // a client that failed fails the test with its exception
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(auditLate).as("creations answered before their audit row was committed").isEmpty();
    return acknowledged;
  }

  private static void burst(
      String url,
      Process server,
      int killAfter,
      long stopAt,
      AtomicInteger sequence,
      Map<String, String> acknowledged,
      Set<String> auditLate,
      Connection reader)
      throws SQLException {
    while (System.nanoTime() < stopAt) {
      String name = "p" + sequence.incrementAndGet();
      HttpResponse<String> created;
      try {
        created =
            send(
                HttpRequest.newBuilder(URI.create(url + "/v1/organization/projects"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
      } catch (Exception e) {
        return; // the server is gone: the burst is over
      }
      if (created.statusCode() / 100 == 2) {
        Matcher id = ID.matcher(created.body());
        assertThat(id.find()).as(created.body()).isTrue();
        acknowledged.put(id.group(1), name);
        if (acknowledged.size() >= killAfter) {
          server.destroyForcibly(); // SIGKILL
        }
        // acknowledged: the audit row must be committed already
        try (PreparedStatement q =
            reader.prepareStatement(
                "SELECT count(*) FROM audit_log WHERE object_id = ? AND type = ?")) {
          q.setString(1, id.group(1));
          q.setString(2, "project.created");
          try (ResultSet rs = q.executeQuery()) {
            if (!rs.next() || rs.getInt(1) != 1) {
              auditLate.add(id.group(1));
            }
          }
        }
      }
    }
  }

  /** The object ids of every {@code project.created} audit row. */
  private static Set<String> auditedProjects(FederationStore store) {
    Set<String> ids = new HashSet<>();
    Optional<String> after = Optional.empty();
    while (true) {
      AuditLog.Result page =
          store
              .auditLog()
              .list(
                  new AuditQuery(
                      Set.of("project.created"), Optional.empty(), Optional.empty(), 100, after));
      for (AuditEvent e : page.data()) {
        ids.add(((AuditEvent.AdminChange) e).objectId());
      }
      if (!page.hasMore()) {
        return ids;
      }
      after = Optional.of(page.data().getLast().id());
    }
  }

  @Test
  void killWhenBurstOfAdminWritesThenEveryAcknowledgedWriteAndItsAuditRowSurvive(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("wif.db");
    Map<String, String> acknowledged;
    Process server = launch(db, dir.resolve("stderr.txt"));
    try {
      acknowledged = burstThenKill(server, url(server), db, KILL_AFTER);
    } finally {
      server.destroyForcibly();
    }
    assertThat(acknowledged)
        .as("writes acknowledged before the kill")
        .hasSizeGreaterThanOrEqualTo(KILL_AFTER);

    Process restarted = launch(db, dir.resolve("stderr-restarted.txt"));
    try {
      String url = url(restarted);
      // the restarted server serves what the killed one acknowledged
      String any = acknowledged.keySet().iterator().next();
      HttpResponse<String> one =
          send(HttpRequest.newBuilder(URI.create(url + "/v1/organization/projects/" + any)));
      assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
      try (FederationStore store = Stores.open(db.toString())) {
        List<String> missing = new ArrayList<>();
        acknowledged.forEach(
            (id, name) -> {
              if (!store.projects().find(id).map(p -> p.name().equals(name)).orElse(false)) {
                missing.add(id + " (" + name + ")");
              }
            });
        assertThat(missing).as("acknowledged writes lost by the kill").isEmpty();
        assertThat(auditedProjects(store))
            .as("acknowledged writes with their audit row")
            .containsAll(acknowledged.keySet());
      }
    } finally {
      restarted.destroy();
      assertThat(restarted.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }
}
