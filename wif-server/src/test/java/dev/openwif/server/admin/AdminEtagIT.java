package dev.openwif.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Optimistic concurrency on the admin API ({@code ETag}, {@code If-Match}, 412) over real HTTP, on
 * SQLite and on PostgreSQL (a schema of the test's own): a stale tag changes nothing, a fresh one
 * applies and yields a new tag, and of two clients racing with the same tag exactly one wins.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminEtagIT {
  private static final String POSTGRES_URL =
      System.getenv()
          .getOrDefault("WIF_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");
  private static final String KEY = AdminApiIT.ADMIN_KEY;
  private static final String PROVIDERS = "/workload_identity_providers";

  private final String schema =
      "wif_etag_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  private WifServer sqlite;
  private WifServer postgres;

  @BeforeAll
  void start(@TempDir Path dir) throws SQLException {
    sqlite =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(dir.resolve("wif.db").toString())
                .withBootstrapAdminKey(KEY));
    pg("CREATE SCHEMA " + schema);
    postgres =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(
                    POSTGRES_URL
                        + (POSTGRES_URL.contains("?") ? "&" : "?")
                        + "currentSchema="
                        + schema)
                .withBootstrapAdminKey(KEY));
  }

  @AfterAll
  void stop() throws SQLException {
    if (sqlite != null) {
      sqlite.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    pg("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  Stream<Named<WifServer>> servers() {
    return Stream.of(Named.of("SQLite", sqlite), Named.of("PostgreSQL", postgres));
  }

  private static AdminClient admin(WifServer server) {
    return new AdminClient(server.baseUrl(), Optional.of(KEY));
  }

  private static String createProvider(AdminClient admin) {
    AdminClient.Reply created =
        admin.post(PROVIDERS, AdminApiIT.provider(AdminApiIT.unique("etag")));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
    return PROVIDERS + "/" + created.body().get("id").asText();
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("servers")
  void updateWhenIfMatchIsCurrentThenAppliedWithANewETagThatGetAgrees(WifServer server) {
    AdminClient admin = admin(server);
    String path = createProvider(admin);
    String before = admin.get(path).etag();
    assertThat(before).matches("\"[A-Za-z0-9_-]{27}\"");

    AdminClient.Reply updated = admin.post(path, Map.of("description", "fresh"), before);

    assertThat(updated.status()).as(updated.body().toString()).isEqualTo(200);
    assertThat(updated.body().get("description").asText()).isEqualTo("fresh");
    assertThat(updated.etag()).isNotEqualTo(before);
    assertThat(admin.get(path).etag()).isEqualTo(updated.etag());
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("servers")
  void updateOrDeleteWhenIfMatchIsStaleThen412NamingTheCurrentETagAndNothingChanges(
      WifServer server) {
    AdminClient admin = admin(server);
    String path = createProvider(admin);
    String stale = admin.get(path).etag();
    String current = admin.post(path, Map.of("description", "second")).etag();

    AdminClient.Reply refused = admin.post(path, Map.of("description", "lost"), stale);
    AdminClient.Reply refusedDelete = admin.delete(path, stale);

    for (AdminClient.Reply reply : List.of(refused, refusedDelete)) {
      assertThat(reply.status()).as(reply.body().toString()).isEqualTo(412);
      assertThat(reply.body().path("error").path("type").asText())
          .isEqualTo("invalid_request_error");
      assertThat(reply.errorCode()).isEqualTo("precondition_failed");
      assertThat(reply.errorParam()).isEqualTo("If-Match");
      assertThat(reply.errorMessage()).contains(current);
      assertThat(reply.raw().headers().firstValue("x-should-retry")).hasValue("false");
    }
    AdminClient.Reply after = admin.get(path);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.body().get("description").asText()).isEqualTo("second");
    assertThat(after.etag()).isEqualTo(current);
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("servers")
  void ifMatchStarAppliesToAnyExistingObjectAndWeakOrMalformedTagsDoNot(WifServer server) {
    AdminClient admin = admin(server);
    String path = createProvider(admin);
    String current = admin.get(path).etag();

    AdminClient.Reply weak = admin.post(path, Map.of("description", "weak"), "W/" + current);
    AdminClient.Reply malformed = admin.post(path, Map.of("description", "bad"), "abc");
    AdminClient.Reply listed =
        admin.post(path, Map.of("description", "listed"), "\"other\", " + current);
    AdminClient.Reply star = admin.post(path, Map.of("description", "star"), "*");
    AdminClient.Reply deleted = admin.delete(path, star.etag());

    assertThat(weak.status()).isEqualTo(412);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.errorParam()).isEqualTo("If-Match");
    assertThat(listed.status()).as(listed.body().toString()).isEqualTo(200);
    assertThat(star.status()).as(star.body().toString()).isEqualTo(200);
    assertThat(star.body().get("description").asText()).isEqualTo("star");
    assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
    assertThat(admin.get(path).status()).isEqualTo(404);
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("servers")
  void federationRulesWhenIfMatchIsStaleThen412AndWhenFreshThenApplied(WifServer server) {
    AdminClient admin = admin(server);
    String projectId = admin.post("/projects", Map.of("name", "etag")).body().get("id").asText();
    String accountId =
        admin
            .post("/projects/" + projectId + "/service_accounts", Map.of("name", "runner"))
            .body()
            .get("id")
            .asText();
    String rules = createProvider(admin) + "/federation_rules";
    AdminClient.Reply created =
        admin.post(
            rules,
            Map.of(
                "name",
                "r",
                "attribute_matchers",
                Map.of("openai.project", "p"),
                "project_id",
                projectId,
                "service_account_id",
                accountId,
                "permissions",
                Map.of("type", "restricted", "scopes", List.of("api.model.request"))));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
    String rule = rules + "/" + created.body().get("id").asText();
    String stale = created.etag();
    assertThat(admin.get(rule).etag()).isEqualTo(stale);
    String current = admin.post(rule, Map.of("description", "second"), stale).etag();

    AdminClient.Reply refused = admin.post(rule, Map.of("enabled", false), stale);
    AdminClient.Reply refusedDelete = admin.delete(rule, stale);
    AdminClient.Reply deleted = admin.delete(rule, current);

    assertThat(refused.status()).isEqualTo(412);
    assertThat(refused.errorMessage()).contains(current);
    assertThat(refusedDelete.status()).isEqualTo(412);
    assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
    assertThat(admin.get(rule).status()).isEqualTo(404);
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("servers")
  void serviceAccountsWhenIfMatchIsStaleThen412AndWhenFreshThenApplied(WifServer server) {
    AdminClient admin = admin(server);
    String projectId = admin.post("/projects", Map.of("name", "etag")).body().get("id").asText();
    AdminClient.Reply created =
        admin.post("/projects/" + projectId + "/service_accounts", Map.of("name", "a"));
    String account =
        "/projects/" + projectId + "/service_accounts/" + created.body().get("id").asText();
    String stale = admin.get(account).etag();
    assertThat(created.etag()).isEqualTo(stale);
    AdminClient.Reply renamed = admin.post(account, Map.of("name", "b"), stale);
    assertThat(renamed.status()).as(renamed.body().toString()).isEqualTo(200);

    AdminClient.Reply refused = admin.post(account, Map.of("name", "c"), stale);
    AdminClient.Reply refusedDelete = admin.delete(account, stale);
    assertThat(admin.get(account).body().get("name").asText()).isEqualTo("b");
    AdminClient.Reply deleted = admin.delete(account, renamed.etag());

    assertThat(refused.status()).isEqualTo(412);
    assertThat(refused.errorMessage()).contains(renamed.etag());
    assertThat(refusedDelete.status()).isEqualTo(412);
    assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("servers")
  void projectsWhenCreatedRenamedOrArchivedThenEachAnswerCarriesTheETagGetAgreesWith(
      WifServer server) {
    AdminClient admin = admin(server);
    AdminClient.Reply created = admin.post("/projects", Map.of("name", "etag-a"));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
    String project = "/projects/" + created.body().get("id").asText();
    assertThat(created.etag()).matches("\"[A-Za-z0-9_-]{27}\"");
    assertThat(admin.get(project).etag()).isEqualTo(created.etag());

    AdminClient.Reply renamed = admin.post(project, Map.of("name", "etag-b"), created.etag());
    assertThat(renamed.status()).as(renamed.body().toString()).isEqualTo(200);
    assertThat(renamed.etag()).isNotEqualTo(created.etag());
    assertThat(admin.get(project).etag()).isEqualTo(renamed.etag());

    AdminClient.Reply archived = admin.post(project + "/archive", Map.of(), renamed.etag());
    assertThat(archived.status()).as(archived.body().toString()).isEqualTo(200);
    assertThat(archived.body().get("status").asText()).isEqualTo("archived");
    assertThat(archived.etag()).isNotEqualTo(renamed.etag());
    assertThat(admin.get(project).etag()).isEqualTo(archived.etag());

    AdminClient.Reply again = admin.post(project + "/archive", Map.of(), "*");
    assertThat(again.status()).as(again.body().toString()).isEqualTo(200);
    assertThat(again.etag()).isEqualTo(archived.etag());
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("servers")
  void projectsWhenIfMatchIsStaleWeakOrMalformedThenRefusedAndNothingChanges(WifServer server) {
    AdminClient admin = admin(server);
    String project =
        "/projects/" + admin.post("/projects", Map.of("name", "etag-a")).body().get("id").asText();
    String stale = admin.get(project).etag();
    String current = admin.post(project, Map.of("name", "etag-b")).etag();

    AdminClient.Reply refused = admin.post(project, Map.of("name", "lost"), stale);
    AdminClient.Reply refusedArchive = admin.post(project + "/archive", Map.of(), stale);
    AdminClient.Reply weak = admin.post(project + "/archive", Map.of(), "W/" + current);
    AdminClient.Reply malformed = admin.post(project, Map.of("name", "bad"), "abc");
    AdminClient.Reply malformedArchive = admin.post(project + "/archive", Map.of(), current + ",");

    for (AdminClient.Reply reply : List.of(refused, refusedArchive, weak)) {
      assertThat(reply.status()).as(reply.body().toString()).isEqualTo(412);
      assertThat(reply.errorCode()).isEqualTo("precondition_failed");
      assertThat(reply.errorParam()).isEqualTo("If-Match");
      assertThat(reply.errorMessage()).contains(current);
      assertThat(reply.raw().headers().firstValue("x-should-retry")).hasValue("false");
    }
    for (AdminClient.Reply reply : List.of(malformed, malformedArchive)) {
      assertThat(reply.status()).as(reply.body().toString()).isEqualTo(400);
      assertThat(reply.errorParam()).isEqualTo("If-Match");
    }
    AdminClient.Reply after = admin.get(project);
    assertThat(after.body().get("name").asText()).isEqualTo("etag-b");
    assertThat(after.body().get("status").asText()).isEqualTo("active");
    assertThat(after.etag()).isEqualTo(current);
    assertThat(admin.post("/projects/proj_missing", Map.of("name", "x"), "*").status())
        .isEqualTo(404);
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("servers")
  void projectRenameAndArchiveRacingWithTheSameETagThenExactlyOneWins(WifServer server)
      throws Exception {
    AdminClient first = admin(server);
    AdminClient second = admin(server);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        String project =
            "/projects/"
                + first.post("/projects", Map.of("name", "race")).body().get("id").asText();
        String seen = first.get(project).etag();
        CountDownLatch go = new CountDownLatch(1);
        Future<AdminClient.Reply> rename =
            pool.submit(
                () -> {
                  go.await();
                  return first.post(project, Map.of("name", "renamed"), seen);
                });
        Future<AdminClient.Reply> archive =
            pool.submit(
                () -> {
                  go.await();
                  return second.post(project + "/archive", Map.of(), seen);
                });
        go.countDown();
        int renamed = rename.get(30, TimeUnit.SECONDS).status();
        int archived = archive.get(30, TimeUnit.SECONDS).status();

        assertThat(List.of(renamed, archived))
            .as("round " + round)
            .containsExactlyInAnyOrder(200, 412);
        AdminClient.Reply after = first.get(project);
        assertThat(after.body().get("name").asText())
            .isEqualTo(renamed == 200 ? "renamed" : "race");
        assertThat(after.body().get("status").asText())
            .isEqualTo(archived == 200 ? "archived" : "active");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(autoCloseArguments = false)
  @MethodSource("servers")
  void twoClientsRacingWithTheSameETagThenExactlyOneWins(WifServer server) throws Exception {
    AdminClient first = admin(server);
    AdminClient second = admin(server);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        String path = createProvider(first);
        String seen = first.get(path).etag();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<AdminClient.Reply>> replies = new ArrayList<>();
        for (AdminClient client : List.of(first, second)) {
          String description = client == first ? "first" : "second";
          replies.add(
              pool.submit(
                  () -> {
                    go.await();
                    return client.post(path, Map.of("description", description), seen);
                  }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        String winner = null;
        for (Future<AdminClient.Reply> f : replies) {
          AdminClient.Reply reply = f.get(30, TimeUnit.SECONDS);
          statuses.add(reply.status());
          if (reply.status() == 200) {
            winner = reply.body().get("description").asText();
          }
        }
        assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(200, 412);
        assertThat(first.get(path).body().get("description").asText()).isEqualTo(winner);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void pg(String statement) throws SQLException {
    String rest = POSTGRES_URL.replaceFirst("^postgres(ql)?://", "");
    int at = rest.indexOf('@');
    String user = at < 0 ? null : rest.substring(0, at);
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + rest.substring(at + 1), user, (String) null);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
