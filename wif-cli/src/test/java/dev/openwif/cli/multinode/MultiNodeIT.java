package dev.openwif.cli.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.emulator.gce.GceMetadataEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several nodes as they are deployed: a PostgreSQL server of the test's own, three {@code wif
 * serve} processes from the runnable jar sharing it (one master key, one public URL: the
 * balancer's), and Debian's HAProxy in front with health checks on {@code /readyz}, all on
 * 127.0.0.1. Four clients exchange tokens through the balancer the whole time (each retries a
 * failed exchange once), while:
 *
 * <ol>
 *   <li>(a) a rule is disabled through node 1, and each node is polled directly until it refuses
 *       the rule: the delay per node must be at most 1 s;
 *   <li>(d) one rule is updated through node 1 and node 3 at the same instant, each changing
 *       another field, ten times: both changes must be kept every time;
 *   <li>(b) node 2 is killed with {@code kill -9}: no client exchange may fail (after its one
 *       retry); node 2 is then started again on its port and rejoins the balancer;
 *   <li>(c) PostgreSQL is crashed ({@code SIGQUIT}) and started again while admin writes go to the
 *       nodes: every node is ready again without being restarted, exchanges succeed again, and
 *       every write that was acknowledged (2xx) is in the database with its audit row.
 * </ol>
 *
 * It prints what it measured (propagation delay per node, exchanges per phase, recovery times).
 * Every wait is bounded; every process is stopped in {@code finally}. Logs: {@code
 * target/multinode/}.
 */
@Tag("deployment")
class MultiNodeIT {
  private static final Duration PROPAGATION_TARGET = Duration.ofSeconds(1);
  private static final Duration PROPAGATION_WAIT = Duration.ofSeconds(10);
  private static final String AUDIENCE = "https://api.openai.com/v1";
  private static final String ADMIN_KEY = "multinode-test-admin-key-0123456789";
  private static final int CLIENTS = 4;
  private static final Duration CLIENT_PAUSE = Duration.ofMillis(40);
  private static final int CONCURRENT_ROUNDS = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NODES = List.of("node1", "node2", "node3");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Map<String, WifNode> nodes = new LinkedHashMap<>();
  private final List<String> summary = new ArrayList<>();

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void threeNodesWhenRuleDisabledRuleUpdatedTwiceNodeKilledAndDatabaseRestartedThenTargetsHold()
      throws Exception {
    Path logs = Path.of("target", "multinode").toAbsolutePath();
    PrivatePostgres.deleteRecursively(logs);
    Files.createDirectories(logs);
    Path runtime = Files.createTempDirectory("wif-multinode");
    // the processes must not outlive a test JVM stopped early (a timeout, Ctrl-C)
    Thread onExit = new Thread(this::stopAll, "multinode-cleanup");
    Runtime.getRuntime().addShutdownHook(onExit);
    try {
      run(logs, runtime);
    } finally {
      Runtime.getRuntime().removeShutdownHook(onExit);
      stopAll();
      PrivatePostgres.deleteRecursively(runtime);
      System.out.println(String.join("\n", summary));
    }
  }

  private void run(Path logs, Path runtime) throws Exception {
    long begun = System.nanoTime();
    GceMetadataEmulator issuer =
        remember(GceMetadataEmulator.builder().host("127.0.0.1").port(0).start());
    FreePorts free = new FreePorts();
    PrivatePostgres pg = remember(PrivatePostgres.start(free.next()));
    int balancerPort = free.next();
    List<String> serveArgs =
        List.of(
            "--host",
            "127.0.0.1",
            "--db",
            pg.url(),
            "--public-url",
            "http://127.0.0.1:" + balancerPort,
            "--dev", // the issuer is the metadata emulator on http://127.0.0.1
            // the balancer sends every client from 127.0.0.1: no per-address limit in the way
            "--exchange-rate-per-address",
            "100000",
            "--exchange-burst-per-address",
            "100000",
            "--exchange-rate-per-provider",
            "100000",
            "--exchange-burst-per-provider",
            "100000");
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    Map<String, String> env =
        Map.of(
            "WIF_MASTER_KEY",
            Base64.getEncoder().encodeToString(master),
            "WIF_BOOTSTRAP_ADMIN_KEY",
            ADMIN_KEY);

    // one node first on a new database, so that one signing key is generated; then the others
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String name : NODES) {
      ports.put(name, free.next());
    }
    startNode("node1", ports.get("node1"), logs, serveArgs, env).awaitListening();
    startNode("node2", ports.get("node2"), logs, serveArgs, env);
    startNode("node3", ports.get("node3"), logs, serveArgs, env);
    nodes.get("node2").awaitListening();
    nodes.get("node3").awaitListening();
    Files.writeString(logs.resolve("ports.txt"), ports + " balancer " + balancerPort + "\n");
    Haproxy balancer = remember(Haproxy.start(logs, runtime, balancerPort, ports));
    for (String name : NODES) {
      balancer.awaitState(name, "UP", Duration.ofSeconds(30));
    }
    summary.add(
        "=== multi-node test: PostgreSQL (private, 127.0.0.1:%s), 3 x wif serve %s, HAProxy %s ==="
            .formatted(pg.url().replaceAll(".*:(\\d+)/.*", "$1"), ports, balancer.url()));
    summary.add("started in %d ms".formatted(millisSince(begun)));

    Federation federation = configure(balancer.url(), issuer);
    long configured = System.nanoTime();
    for (WifNode node : nodes.values()) {
      for (String body : federation.bodies()) {
        awaitExchangeStatus(node.url(), body, 200, Duration.ofSeconds(20));
      }
    }
    summary.add(
        "configuration made through the balancer is in force on every node after %d ms"
            .formatted(millisSince(configured)));

    try (ExchangeLoad load =
        ExchangeLoad.start(
            http, balancer.url(), federation.load(), CLIENTS, CLIENT_PAUSE, Phase.STEADY.label)) {
      Thread.sleep(2000);

      load.phase(Phase.PROPAGATION.label);
      Map<String, Long> propagation = disableAndMeasure(federation);

      load.phase(Phase.CONCURRENT.label);
      List<String> lostUpdates = concurrentUpdates(federation);

      load.phase(Phase.KILL.label);
      Thread.sleep(1000);
      long killedAt = System.nanoTime();
      nodes.get("node2").kill9();
      Duration markedDown = balancer.awaitState("node2", "DOWN", Duration.ofSeconds(10));
      Thread.sleep(Math.max(0, 4000 - millisSince(killedAt)));
      Map<String, Long> haproxyRetries = balancer.retries();

      load.phase(Phase.REJOIN.label);
      long restartedAt = System.nanoTime();
      startNode("node2", ports.get("node2"), logs, serveArgs, env).awaitListening();
      Duration rejoined = balancer.awaitState("node2", "UP", Duration.ofSeconds(30));
      long upAfterStart = millisSince(restartedAt);
      // ready is not the same as able to exchange: /readyz does not wait for issuer keys
      long upAt = System.nanoTime();
      awaitExchangeStatus(nodes.get("node2").url(), federation.load(), 200, Duration.ofSeconds(30));
      String killed =
          "(b) node2 killed with kill -9: haproxy marked it DOWN after %d ms; started again on its"
                  .formatted(markedDown.toMillis())
              + " port, back UP %d ms after its start (%d ms after the listening line),"
                  .formatted(upAfterStart, rejoined.toMillis())
              + " exchanging %d ms after that; haproxy retries %s"
                  .formatted(millisSince(upAt), haproxyRetries);

      load.phase(Phase.DATABASE_RESTART.label);
      DatabaseRestart restart = restartDatabase(pg, balancer);

      load.phase(Phase.AFTER_RESTART.label);
      Thread.sleep(2000);
      load.stop();

      summary.add(
          "(a) rule disabled through node1 (target <= %d ms): %s"
              .formatted(PROPAGATION_TARGET.toMillis(), describe(propagation)));
      summary.add(killed);
      summary.add(
          "(d) %d rounds of concurrent updates of one rule through node1 and node3: %d lost"
                  .formatted(CONCURRENT_ROUNDS, lostUpdates.size())
              + (lostUpdates.isEmpty() ? "" : " " + lostUpdates));
      summary.add(restart.describe());
      for (Phase phase : Phase.values()) {
        summary.add("load %-20s %s".formatted(phase.label + ":", load.tally(phase.label)));
      }
      summary.add(
          "FAILED CLIENT EXCHANGES DURING THE NODE KILL: %d"
              .formatted(load.tally(Phase.KILL.label).failed()));
      summary.add("total %d ms".formatted(millisSince(begun)));

      SoftAssertions checks = new SoftAssertions();
      checks
          .assertThat(propagation)
          .as("(a) delay until each node refuses the disabled rule, ms")
          .allSatisfy((node, ms) -> assertThat(ms).isBetween(0L, PROPAGATION_TARGET.toMillis()));
      checks.assertThat(load.tally(Phase.KILL.label).failed()).as("(b) failed exchanges").isZero();
      checks.assertThat(lostUpdates).as("(d) changes lost by concurrent updates").isEmpty();
      checks.assertThat(restart.lost()).as("(c) acknowledged writes lost").isEmpty();
      checks.assertThat(restart.unaudited()).as("(c) acknowledged writes without audit").isEmpty();
      checks
          .assertThat(restart.before())
          .as("(c) writes acknowledged before the crash")
          .isPositive();
      checks
          .assertThat(restart.after())
          .as("(c) writes acknowledged after the restart")
          .isPositive();
      for (Phase phase : Phase.values()) {
        if (phase.asserted) {
          checks
              .assertThat(load.tally(phase.label).failed())
              .as("failed exchanges in phase " + phase.label)
              .isZero();
        }
        checks
            .assertThat(load.tally(phase.label).total())
            .as("exchanges in " + phase.label)
            .isPositive();
      }
      checks.assertAll();
    }
  }

  /** The phases the load's exchanges are counted under. */
  private enum Phase {
    STEADY("steady", true),
    PROPAGATION("(a) propagation", true),
    CONCURRENT("(d) concurrent", true),
    KILL("(b) node kill", true),
    /**
     * Counted, not checked: a started node is ready before it has fetched its issuers' keys (they
     * are reported by {@code /readyz}, not required), so while a slow first fetch runs it answers
     * exchanges {@code 503}.
     */
    REJOIN("node2 rejoins", false),
    /** Counted, not checked: while the database is down no node is ready, the balancer has none. */
    DATABASE_RESTART("(c) database restart", false),
    AFTER_RESTART("after the restart", true);

    final String label;
    final boolean asserted;

    Phase(String label, boolean asserted) {
      this.label = label;
      this.asserted = asserted;
    }
  }

  private WifNode startNode(
      String name, int port, Path logs, List<String> serveArgs, Map<String, String> env)
      throws Exception {
    String logName = nodes.containsKey(name) ? name + "-restarted" : name;
    WifNode node = remember(WifNode.launch(logName, port, logs, serveArgs, env));
    nodes.put(name, node);
    return node;
  }

  /** What the exchanges of each rule send, and the ids the test changes. */
  private record Federation(
      String providerId,
      String disabledRuleId,
      String updatedRuleId,
      String load,
      String disabled,
      String updated) {
    List<String> bodies() {
      return List.of(load, disabled, updated);
    }
  }

  /**
   * One project, one provider (the metadata emulator's issuer) and three service accounts, each
   * with its rule: one for the load, one that (a) disables, one that (d) updates.
   */
  private Federation configure(String url, GceMetadataEmulator issuer) throws Exception {
    String token = issuer.identityToken(AUDIENCE, true);
    JsonNode claims =
        JSON.readTree(
            new String(
                Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    String project = id(adminPost(url, "/projects", object().put("name", "multinode")));
    ObjectNode provider =
        object()
            .put("name", "metadata-emulator")
            .put("type", "oidc")
            .put("issuer", issuer.issuer())
            .put("audience", AUDIENCE);
    provider.putObject("verification").put("type", "discovery");
    provider
        .putArray("attribute_transformations")
        .addObject()
        .put("attribute", "subject")
        .put("expression", "assertion.sub");
    String providerId = id(adminPost(url, "/workload_identity_providers", provider));
    List<String> rules = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (String name : List.of("load", "disabled", "updated")) {
      String account =
          id(
              adminPost(
                  url,
                  "/projects/" + project + "/service_accounts",
                  object().put("name", name).put("create_service_account_only", true)));
      ObjectNode rule =
          object().put("name", name).put("project_id", project).put("service_account_id", account);
      rule.putObject("attribute_matchers").put("sub", claims.get("sub").asText());
      rule.putObject("permissions").put("type", "service_account_default");
      rules.add(
          id(
              adminPost(
                  url, "/workload_identity_providers/" + providerId + "/federation_rules", rule)));
      bodies.add(
          JSON.writeValueAsString(
              object()
                  .put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                  .put("subject_token", token)
                  .put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt")
                  .put("identity_provider_id", providerId)
                  .put("service_account_id", account)));
    }
    return new Federation(
        providerId, rules.get(1), rules.get(2), bodies.get(0), bodies.get(1), bodies.get(2));
  }

  /**
   * (a) Disables a rule through node 1, then polls every node directly (an exchange every 10 ms)
   * until it refuses the rule; returns each node's delay in ms, counted from the moment the request
   * was sent (-1: still accepted after {@link #PROPAGATION_WAIT}).
   */
  private Map<String, Long> disableAndMeasure(Federation federation) throws Exception {
    String path =
        "/workload_identity_providers/"
            + federation.providerId()
            + "/federation_rules/"
            + federation.disabledRuleId();
    long sent = System.nanoTime();
    JsonNode disabled = adminPost(nodes.get("node1").url(), path, object().put("enabled", false));
    assertThat(disabled.get("enabled").asBoolean()).as(disabled.toString()).isFalse();
    Map<String, CompletableFuture<Long>> polls = new LinkedHashMap<>();
    for (String name : NODES) {
      String url = nodes.get(name).url();
      polls.put(
          name,
          CompletableFuture.supplyAsync(
              () -> untilRefused(url, federation.disabled(), sent),
              task -> Thread.ofPlatform().daemon().start(task)));
    }
    Map<String, Long> delays = new LinkedHashMap<>();
    for (Map.Entry<String, CompletableFuture<Long>> poll : polls.entrySet()) {
      delays.put(
          poll.getKey(), poll.getValue().get(PROPAGATION_WAIT.toSeconds() + 10, TimeUnit.SECONDS));
    }
    return delays;
  }

  private long untilRefused(String url, String body, long sent) {
    long deadline = sent + PROPAGATION_WAIT.toNanos();
    try {
      while (System.nanoTime() - deadline < 0) {
        HttpResponse<String> answer =
            ExchangeLoad.post(http, URI.create(url + "/oauth/token"), body);
        long at = System.nanoTime();
        if (answer.statusCode() != 200) {
          assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499).isNotEqualTo(429);
          return TimeUnit.NANOSECONDS.toMillis(at - sent);
        }
        Thread.sleep(10);
      }
      return -1;
    } catch (Exception e) {
      throw new IllegalStateException("polling " + url + ": " + e, e);
    }
  }

  private static String describe(Map<String, Long> delays) {
    List<String> parts = new ArrayList<>();
    delays.forEach(
        (node, ms) ->
            parts.add(
                node
                    + (ms < 0
                        ? " still accepted it after " + PROPAGATION_WAIT.toMillis() + " ms"
                        : " refused it after " + ms + " ms")));
    return String.join(", ", parts);
  }

  /**
   * (d) {@link #CONCURRENT_ROUNDS} times, node 1 sets the rule's description and node 3 its name at
   * the same instant; after both answered, both values must be there (read through node 2 and node
   * 1). Returns the rounds that lost a change.
   */
  private List<String> concurrentUpdates(Federation federation) throws Exception {
    String path =
        "/workload_identity_providers/"
            + federation.providerId()
            + "/federation_rules/"
            + federation.updatedRuleId();
    List<String> lost = new ArrayList<>();
    for (int round = 1; round <= CONCURRENT_ROUNDS; round++) {
      String description = "description set through node1 in round " + round;
      String name = "updated-" + round;
      CyclicBarrier ready = new CyclicBarrier(2);
      CompletableFuture<JsonNode> one =
          CompletableFuture.supplyAsync(
              () ->
                  awaitThen(
                      ready,
                      () ->
                          adminPost(
                              nodes.get("node1").url(),
                              path,
                              object().put("description", description))),
              task -> Thread.ofPlatform().daemon().start(task));
      CompletableFuture<JsonNode> three =
          CompletableFuture.supplyAsync(
              () ->
                  awaitThen(
                      ready,
                      () -> adminPost(nodes.get("node3").url(), path, object().put("name", name))),
              task -> Thread.ofPlatform().daemon().start(task));
      one.get(30, TimeUnit.SECONDS);
      three.get(30, TimeUnit.SECONDS);
      for (String reader : List.of("node2", "node1")) {
        JsonNode rule = adminGet(nodes.get(reader).url(), path);
        if (!description.equals(rule.path("description").asText())
            || !name.equals(rule.path("name").asText())) {
          lost.add("round " + round + " read through " + reader + ": " + rule);
        }
      }
    }
    return lost;
  }

  /** What (c) saw. */
  private record DatabaseRestart(
      long before,
      long after,
      long refused,
      long downMs,
      Map<String, Long> readyAfterMs,
      List<String> lost,
      List<String> unaudited) {
    String describe() {
      return ("(c) PostgreSQL crashed (SIGQUIT) and started again after %d ms: nodes ready again"
              + " (no node restarted) %s ms after its start; admin writes acknowledged: %d before"
              + " the crash, %d after the restart (%d refused meanwhile); lost: %d; without their"
              + " audit row: %d")
          .formatted(downMs, readyAfterMs, before, after, refused, lost.size(), unaudited.size());
    }
  }

  /**
   * (c) Crashes PostgreSQL while admin writes (project creations) go to every node directly in
   * turn, starts it again, waits (bounded) until every node is ready and in the balancer again, and
   * checks every acknowledged write against the database.
   */
  private DatabaseRestart restartDatabase(PrivatePostgres pg, Haproxy balancer) throws Exception {
    try (AdminWriter writer = AdminWriter.start(http, nodeUrls(), ADMIN_KEY)) {
      Thread.sleep(1000);
      long before = writer.acknowledged().size();
      long down = System.nanoTime();
      pg.crash();
      Thread.sleep(1500);
      pg.restart();
      long downMs = millisSince(down);
      long restarted = System.nanoTime();
      Map<String, CompletableFuture<Long>> readiness = new LinkedHashMap<>();
      for (String name : NODES) {
        String url = nodes.get(name).url();
        readiness.put(
            name,
            CompletableFuture.supplyAsync(
                () -> {
                  awaitReady(url, Duration.ofSeconds(30));
                  return millisSince(restarted);
                },
                task -> Thread.ofPlatform().daemon().start(task)));
      }
      Map<String, Long> ready = new LinkedHashMap<>();
      for (Map.Entry<String, CompletableFuture<Long>> node : readiness.entrySet()) {
        ready.put(node.getKey(), node.getValue().get(40, TimeUnit.SECONDS));
      }
      for (String name : NODES) {
        balancer.awaitState(name, "UP", Duration.ofSeconds(30));
      }
      int acknowledgedAtRestart = writer.acknowledged().size();
      long writingSince = System.nanoTime();
      while (writer.acknowledged().size() <= acknowledgedAtRestart
          && millisSince(writingSince) < 10_000) {
        Thread.sleep(50);
      }
      Thread.sleep(500);
      writer.stop();
      Map<String, String> acknowledged = writer.acknowledged();
      List<String> lost = new ArrayList<>();
      List<String> unaudited = new ArrayList<>();
      try (var db = pg.connect();
          var project = db.prepareStatement("SELECT name FROM projects WHERE id = ?");
          var audit =
              db.prepareStatement(
                  "SELECT count(*) FROM audit_log WHERE object_id = ? AND type = 'project.created'")) {
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
          project.setString(1, write.getKey());
          try (var row = project.executeQuery()) {
            if (!row.next() || !write.getValue().equals(row.getString(1))) {
              lost.add(write.getKey() + " (" + write.getValue() + ")");
            }
          }
          audit.setString(1, write.getKey());
          try (var row = audit.executeQuery()) {
            if (!row.next() || row.getInt(1) != 1) {
              unaudited.add(write.getKey());
            }
          }
        }
      }
      return new DatabaseRestart(
          before,
          acknowledged.size() - acknowledgedAtRestart,
          writer.refused(),
          downMs,
          ready,
          lost,
          unaudited);
    }
  }

  private List<String> nodeUrls() {
    return nodes.values().stream().map(WifNode::url).toList();
  }

  /** Polls {@code /readyz} until 200 (bounded by {@code limit}). */
  private void awaitReady(String url, Duration limit) {
    long start = System.nanoTime();
    String last = "";
    while (System.nanoTime() - start < limit.toNanos()) {
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/readyz"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
        last = ready.statusCode() + " " + ready.body();
        Thread.sleep(20);
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(url + " not ready after " + limit + ": " + last);
  }

  private void awaitExchangeStatus(String url, String body, int status, Duration limit)
      throws Exception {
    long start = System.nanoTime();
    String last = "";
    while (System.nanoTime() - start < limit.toNanos()) {
      HttpResponse<String> answer = ExchangeLoad.post(http, URI.create(url + "/oauth/token"), body);
      if (answer.statusCode() == status) {
        return;
      }
      last = answer.statusCode() + " " + answer.body();
      Thread.sleep(20);
    }
    throw new IllegalStateException(
        url + " did not answer the exchange " + status + " within " + limit + ": " + last);
  }

  private JsonNode adminPost(String url, String path, ObjectNode body) {
    return AdminWriter.send(http, url, path, ADMIN_KEY, body);
  }

  private JsonNode adminGet(String url, String path) {
    return AdminWriter.send(http, url, path, ADMIN_KEY, null);
  }

  private static <T> T awaitThen(CyclicBarrier barrier, Supplier<T> action) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the other update did not start", e);
    }
    return action.get();
  }

  private static ObjectNode object() {
    return JSON.createObjectNode();
  }

  private static String id(JsonNode created) {
    String id = created.path("id").asText();
    assertThat(id).as(created.toString()).isNotBlank();
    return id;
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private synchronized <T extends AutoCloseable> T remember(T resource) {
    started.push(resource);
    return resource;
  }

  /**
   * Stops everything started, the last first; a failure to stop one does not skip the others.
   * Called by the test and, when the JVM stops first, by a shutdown hook.
   */
  private synchronized void stopAll() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        summary.add("cleanup: " + e);
      }
    }
  }
}
