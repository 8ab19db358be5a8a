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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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

  /** Makes every insert of a signing-key audit row fail in the database itself (a real fault). */
  private static void refuseSigningKeyAuditRows(String db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TRIGGER refuse_signing_key_audit BEFORE INSERT ON audit_log"
              + " WHEN NEW.type LIKE 'signing_key.%'"
              + " BEGIN SELECT RAISE(ABORT, 'audit row refused by the test'); END");
    }
  }

  /** The signing-key audit rows, read through a connection of their own. */
  private static List<String> committedKeyAuditRows(String db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT type, actor, object_id FROM audit_log"
                    + " WHERE type LIKE 'signing_key.%' ORDER BY rowid")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
      return rows;
    }
  }

  private static void assertNoStackTrace(Run run) {
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(run.err().strip().lines()).hasSize(1);
  }

  @Test
  void rotateWhenAuditRowCannotBeStoredThenExit1ClearErrorAndNoNewKey() throws Exception {
    String db = databaseWithOneKey();
    List<StoredSigningKey> before = rows(db);
    refuseSigningKeyAuditRows(db);

    Run run = run("signing-keys", "rotate", "--db", db);

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("wif: error: signing key rotation rolled back, nothing changed")
        .contains("signing_key.rotated")
        .contains("audit row refused by the test");
    assertNoStackTrace(run);
    assertThat(run.out()).doesNotContain("Rotated");
    assertThat(rows(db)).as("no new active key; the old one not rotated out").isEqualTo(before);
  }

  @Test
  void retireWhenAuditRowCannotBeStoredThenExit1ClearErrorAndKeyKept() throws Exception {
    String db = databaseWithOneKey();
    String first = rows(db).getFirst().kid();
    assertThat(run("signing-keys", "rotate", "--db", db).exit()).isZero();
    List<StoredSigningKey> before = rows(db);
    refuseSigningKeyAuditRows(db);

    Run run = run("signing-keys", "retire", first, "--db", db, "--force");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("wif: error: signing key retirement rolled back, nothing changed")
        .contains("signing_key.retired");
    assertNoStackTrace(run);
    assertThat(rows(db)).as("the key is neither retired nor erased").isEqualTo(before);
  }

  /**
   * The moment {@code rotate} says "Rotated.", its {@code signing_key.rotated} row is committed: a
   * separate connection reads it while the command is still running (before its store is closed, so
   * no audit-queue drain at close can stand in for the transaction).
   */
  @Test
  void rotateWhenAcknowledgedThenItsAuditRowIsAlreadyCommitted() throws Exception {
    String db = databaseWithOneKey();
    List<List<String>> seenAtAcknowledgement = new ArrayList<>();
    StringWriter out =
        new StringWriter() {
          @Override
          public void flush() {
            if (seenAtAcknowledgement.isEmpty() && toString().contains("Rotated.")) {
              try {
                seenAtAcknowledgement.add(committedKeyAuditRows(db));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          }
        };
    CommandLine cli = WifCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter()));

    int exit = cli.execute("signing-keys", "rotate", "--db", db);

    assertThat(exit).isZero();
    String active = rows(db).getLast().kid();
    assertThat(seenAtAcknowledgement)
        .as("audit rows committed when the rotation was acknowledged")
        .containsExactly(List.of("signing_key.rotated cli " + active));
    assertThat(committedKeyAuditRows(db)).containsExactly("signing_key.rotated cli " + active);
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

  @Test
  void retireWhenKidStartsWithADashThenItIsTheKidNotAnOption() {
    CommandLine cli = WifCommand.commandLine(java.util.Map.of());
    CommandLine.ParseResult parsed =
        cli.parseArgs("signing-keys", "retire", "-Xq3_kid", "--db", "wif.db");
    SigningKeysCommand.Retire retire =
        (SigningKeysCommand.Retire) parsed.subcommand().subcommand().commandSpec().userObject();
    assertThat(retire.kid).isEqualTo("-Xq3_kid");
  }

  private final List<String> schemas = new ArrayList<>();

  private static Connection postgres() throws java.sql.SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
  }

  /** Like {@link #databaseWithOneKey()} on a PostgreSQL schema of its own (dropped afterwards). */
  String postgresDatabaseWithOneKey() throws java.sql.SQLException {
    String base =
        System.getenv()
            .getOrDefault("WIF_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");
    String schema = "wif_cli_keys_" + Long.toHexString(System.nanoTime());
    try (Connection c = postgres();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    schemas.add(schema);
    String db = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try (var store = Stores.open(db)) {
      new SigningKeys(store.signingKeys(), Clock.systemUTC());
    }
    return db;
  }

  @org.junit.jupiter.api.AfterEach
  void dropSchemas() throws java.sql.SQLException {
    try (Connection c = postgres();
        Statement st = c.createStatement()) {
      for (String schema : schemas) {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  @Test
  void rotateWhenPostgresThenPublishedAheadSecondRotationAndRetirementOfPendingRefused()
      throws Exception {
    String db = postgresDatabaseWithOneKey();
    String first = rows(db).getFirst().kid();

    Run rotated = run("signing-keys", "rotate", "--db", db, "--sync-interval", "30");

    assertThat(rotated.exit()).as(rotated.err()).isZero();
    StoredSigningKey pending = rows(db).getLast();
    assertThat(rotated.out())
        .contains("New signing key " + pending.kid() + " is published now and signs from")
        .contains("(in 60 s); until then " + first + " signs.");
    assertThat(Duration.between(pending.createdAt(), pending.activatesAt()))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(run("signing-keys", "list", "--db", db).out())
        .containsPattern(first + " +active")
        .containsPattern(pending.kid() + " +pending");

    Run again = run("signing-keys", "rotate", "--db", db);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already under way").contains(pending.kid());
    Run retirePending = run("signing-keys", "retire", pending.kid(), "--db", db, "--force");
    assertThat(retirePending.exit()).isEqualTo(1);
    assertThat(retirePending.err()).contains("pending");
    assertThat(rows(db)).hasSize(2);
  }

  @Test
  void rotateWhenPostgresAndNowThenTheNewKeySignsAtOnceAndTheOldCanBeRetired() throws Exception {
    String db = postgresDatabaseWithOneKey();
    String first = rows(db).getFirst().kid();

    Run rotated = run("signing-keys", "rotate", "--db", db, "--now");

    assertThat(rotated.exit()).as(rotated.err()).isZero();
    assertThat(rotated.out()).contains("New active signing key");
    StoredSigningKey second = rows(db).getLast();
    assertThat(second.activatesAt()).isEqualTo(second.createdAt());
    assertThat(run("signing-keys", "retire", first, "--db", db, "--force").exit()).isZero();
  }
}
