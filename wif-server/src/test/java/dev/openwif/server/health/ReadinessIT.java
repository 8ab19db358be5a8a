package dev.openwif.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.server.sts.LiveServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} of a real server on a real PostgreSQL database of its own: 200 while the database
 * answers; 503 naming the database once it goes away for real (connections to it refused and every
 * open one terminated); 200 again once it accepts connections.
 */
@Tag("crypto-neutral")
class ReadinessIT {
  static final String POSTGRES_URL =
      System.getenv()
          .getOrDefault("WIF_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;
  private String database;
  private LiveServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void createDatabase() throws SQLException {
    database = "wif_ready_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    sql("CREATE DATABASE " + database);
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    if (server != null) {
      server.close();
    }
    sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    terminateBackends();
    sql("DROP DATABASE IF EXISTS " + database);
  }

  @Test
  void readyzWhenDatabaseGoesAwayThen503AndWhenItReturnsThen200() throws Exception {
    String url = POSTGRES_URL.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    server = LiveServer.start(LiveServer.config(dir).withDbSpec(url));

    JsonNode ready = awaitStatus(200);
    assertThat(ready.get("status").asText()).isEqualTo("ready");
    assertThat(check(ready, "database").get("ok").asBoolean()).isTrue();
    assertThat(check(ready, "federation_snapshot").get("ok").asBoolean()).isTrue();
    assertThat(check(ready, "signing_key").get("ok").asBoolean()).isTrue();
    assertThat(check(ready, "issuer_keys").get("required").asBoolean()).isFalse();

    sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
    assertThat(terminateBackends()).isPositive();

    JsonNode down = awaitStatus(503);
    assertThat(down.get("status").asText()).isEqualTo("not_ready");
    assertThat(check(down, "database").get("ok").asBoolean()).isFalse();
    assertThat(check(down, "database").get("detail").asText()).isNotBlank();

    sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");

    JsonNode back = awaitStatus(200);
    assertThat(check(back, "database").get("ok").asBoolean()).isTrue();
  }

  /** Polls {@code /readyz} until it answers {@code status} (at most {@link #BOUND}). */
  private JsonNode awaitStatus(int status) throws Exception {
    long deadline = System.nanoTime() + BOUND.toNanos();
    HttpResponse<String> last;
    do {
      last =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url() + "/readyz"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (last.statusCode() == status) {
        assertThat(last.headers().firstValue("content-type")).contains("application/json");
        return LiveServer.JSON.readTree(last.body());
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "/readyz did not answer " + status + " within " + BOUND + "; last: " + last.body());
  }

  private static JsonNode check(JsonNode body, String name) {
    for (JsonNode check : body.get("checks")) {
      if (check.get("name").asText().equals(name)) {
        return check;
      }
    }
    throw new AssertionError("no check " + name + " in " + body);
  }

  private int terminateBackends() throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement();
        var r =
            s.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                    + database
                    + "'")) {
      r.next();
      return r.getInt(1);
    }
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static Connection admin() throws SQLException {
    String rest = POSTGRES_URL.replaceFirst("^postgres(ql)?://", "");
    int at = rest.indexOf('@');
    String user = at < 0 ? null : rest.substring(0, at);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + rest.substring(at + 1), user, (String) null);
  }
}
