package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.store.Stores;
import dev.openwif.token.SigningKeyLifecycle;
import dev.openwif.token.SigningKeys;
import dev.openwif.token.StoredSigningKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SigningKeysCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  /** A database as 'wif serve' leaves it: migrated, with one active signing key. */
  String databaseWithOneKey() {
    String db = dir.resolve("wif.db").toString();
    try (var store = Stores.open(db)) {
      new SigningKeys(store.signingKeys(), Clock.systemUTC());
    }
    return db;
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private List<StoredSigningKey> rows(String db) {
    try (var store = Stores.open(db)) {
      return store.signingKeys().listAll();
    }
  }

  @Test
  void rotateThenListThenRetireWhenRunThenLifecycleShownAndRefusalsClear() throws Exception {
    String db = databaseWithOneKey();
    String first = rows(db).getFirst().kid();

    Run rotated = run("signing-keys", "rotate", "--db", db, "--token-ttl", "600");

    assertThat(rotated.exit()).as(rotated.err()).isZero();
    String second = rows(db).getLast().kid();
    assertThat(rotated.out()).contains("New active signing key: " + second).contains(first);
    assertThat(rows(db).getFirst().verifyUntil()).isPresent();

    Run listed = run("signing-keys", "list", "--db", db);
    assertThat(listed.out())
        .contains("KID")
        .containsPattern(first + " +verifying +\\S+ +\\S+")
        .containsPattern(second + " +active");

    JsonNode json =
        new ObjectMapper().readTree(run("signing-keys", "list", "--db", db, "--json").out());
    assertThat(json).hasSize(2);
    assertThat(json.get(0).get("kid").asText()).isEqualTo(first);
    assertThat(json.get(0).get("state").asText()).isEqualTo("verifying");
    assertThat(json.get(0).get("verifies_until").asText())
        .isEqualTo(rows(db).getFirst().verifyUntil().orElseThrow().toString());
    assertThat(json.get(1).get("state").asText()).isEqualTo("active");
    assertThat(json.get(1).get("verifies_until").isNull()).isTrue();

    Run active = run("signing-keys", "retire", second, "--db", db, "--force");
    assertThat(active.exit()).isEqualTo(1);
    assertThat(active.err()).contains("wif: error: ").contains("active key");

    Run early = run("signing-keys", "retire", first, "--db", db);
    assertThat(early.exit()).isEqualTo(1);
    assertThat(early.err()).contains("may still verify unexpired tokens until").contains("--force");
    assertThat(rows(db).getFirst().retiredAt()).isEmpty();

    Run forced = run("signing-keys", "retire", first, "--db", db, "--force");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(rows(db).getFirst().retiredAt()).isPresent();
    assertThat(rows(db).getFirst().privateJwkJson()).isEmpty();
    assertThat(run("signing-keys", "list", "--db", db).out()).containsPattern(first + " +retired");
    try (var store = Stores.open(db)) {
      assertThat(
              store
                  .auditLog()
                  .list(
                      new dev.openwif.audit.AuditQuery(
                          java.util.Set.of("signing_key.rotated", "signing_key.retired"),
                          Optional.empty(),
                          Optional.empty(),
                          10,
                          Optional.empty()))
                  .data())
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.toString()).contains("cli"));
    }
  }

  @Test
  void retireWhenUnknownKidThenErrorNamingIt() {
    String db = databaseWithOneKey();

    Run run = run("signing-keys", "retire", "no-such-kid", "--db", db);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("no signing key with kid 'no-such-kid'");
  }

  @Test
  void listWhenDatabaseMissingThenRefusedWithoutCreatingIt() {
    Run run = run("signing-keys", "list", "--db", dir.resolve("typo.db").toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("no database at");
    assertThat(dir.resolve("typo.db")).doesNotExist();
  }

  @Test
  void withoutSubcommandThenUsageError() {
    assertThat(run("signing-keys").exit()).isEqualTo(2);
  }

  @Test
  void rotationIntervalWhenParsedThenShortIsoAndOffAcceptedGarbageRefused() {
    assertThat(RotationInterval.parse("off")).isEmpty();
    assertThat(RotationInterval.parse("30d")).contains(Duration.ofDays(30));
    assertThat(RotationInterval.parse("12h")).contains(Duration.ofHours(12));
    assertThat(RotationInterval.parse("P7D")).contains(Duration.ofDays(7));
    assertThatThrownBy(() -> RotationInterval.parse("30 days"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--signing-key-rotation")
        .hasMessageContaining("'30 days'");
    assertThat(SigningKeyLifecycle.CLOCK_SKEW).isEqualTo(Duration.ofMinutes(5));
  }
}
