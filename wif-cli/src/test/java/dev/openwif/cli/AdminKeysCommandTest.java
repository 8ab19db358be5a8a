package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditQuery;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.store.Stores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AdminKeysCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  /** A database as 'wif serve' leaves it: created and migrated. */
  String existingDatabase() {
    String db = dir.resolve("wif.db").toString();
    Stores.open(db).close();
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

  @Test
  void createWhenRunThenSecretPrintedOnceAndOnlyItsHashStored() {
    String db = existingDatabase();

    Run created = run("admin-keys", "create", "--name", "ci", "--db", db);

    Matcher m = Pattern.compile("(wifadm_[A-Za-z0-9_-]{43})").matcher(created.out());
    assertThat(created.exit()).isZero();
    assertThat(m.find()).isTrue();
    String secret = m.group(1);
    try (var store = Stores.open(db)) {
      var keys = store.adminKeys().listAll();
      assertThat(keys).hasSize(1);
      assertThat(keys.getFirst().secretHash())
          .isEqualTo(AdminKeys.sha256Hex(secret))
          .doesNotContain(secret);
      assertThat(keys.getFirst().name()).isEqualTo("ci");
    }
    assertThat(run("admin-keys", "list", "--db", db).out()).contains("ci").doesNotContain(secret);
  }

  @Test
  void createAndRevokeWhenRunThenEachAuditedWithActorCliAndNeverTheSecret() {
    String db = existingDatabase();

    Run created = run("admin-keys", "create", "--name", "ops", "--db", db);
    Matcher m = Pattern.compile("Created admin key (admin_key_[^ ]+) ").matcher(created.out());
    assertThat(m.find()).as(created.out()).isTrue();
    String id = m.group(1);
    Run revoked = run("admin-keys", "revoke", id, "--db", db);

    assertThat(revoked.exit()).isZero();
    try (var store = Stores.open(db)) {
      var events =
          store
              .auditLog()
              .list(
                  new AuditQuery(
                      Set.of("admin_key.created", "admin_key.revoked"),
                      Optional.empty(),
                      Optional.empty(),
                      10,
                      Optional.empty()))
              .data();
      assertThat(events)
          .extracting(AuditEvent::type)
          .containsExactly("admin_key.revoked", "admin_key.created");
      assertThat(events)
          .allSatisfy(
              e -> {
                AuditEvent.AdminChange change = (AuditEvent.AdminChange) e;
                assertThat(change.actor()).isEqualTo("cli");
                assertThat(change.objectId()).isEqualTo(id);
                assertThat(change.dataJson()).doesNotContain("wifadm_");
              });
      assertThat(((AuditEvent.AdminChange) events.getLast()).dataJson()).contains("\"ops\"");
    }
  }

  @Test
  void listWhenOperatorChosenKeyStoredWithTwelveCharactersThenOnlyFourShown() {
    String db = dir.resolve("wif.db").toString();
    try (var store = Stores.open(db)) {
      store
          .adminKeys()
          .insert(
              new dev.openwif.federation.AdminKey(
                  "admin_key_old",
                  "bootstrap",
                  AdminKeys.sha256Hex("automation-key-0123456789"),
                  "automation-k",
                  java.time.Instant.EPOCH,
                  java.util.Optional.empty()));
    }

    String out = run("admin-keys", "list", "--db", db).out();

    assertThat(out).contains("auto...").doesNotContain("automation-k");
  }

  @Test
  void revokeWhenKeyExistsThenListShowsRevokedAndSecondRevokeFails() {
    String db = existingDatabase();
    run("admin-keys", "create", "--db", db);
    String id;
    try (var store = Stores.open(db)) {
      id = store.adminKeys().listAll().getFirst().id();
    }

    Run revoked = run("admin-keys", "revoke", id, "--db", db);
    Run again = run("admin-keys", "revoke", id, "--db", db);

    assertThat(revoked.exit()).isZero();
    assertThat(run("admin-keys", "list", "--db", db).out()).contains(id).contains("revoked");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("no active admin key");
  }

  @Test
  void createWhenDatabaseCannotBeOpenedThenOneLineError() {
    Run run = run("admin-keys", "create", "--db", "/proc/no-such-dir/wif.db");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().strip()).startsWith("wif: error: ").doesNotContain("\n");
  }

  @Test
  void listWhenDatabaseFileMissingThenRefusedNamingThePathAndNothingCreated() {
    Path mistyped = dir.resolve("wfi.db");

    for (String sub : new String[] {"list", "create", "revoke"}) {
      Run run =
          sub.equals("revoke")
              ? run("admin-keys", sub, "admin_key_x", "--db", mistyped.toString())
              : run("admin-keys", sub, "--db", mistyped.toString());

      assertThat(run.exit()).as(sub).isEqualTo(1);
      assertThat(run.err())
          .as(sub)
          .isEqualTo(
              "wif: error: no database at "
                  + mistyped.toAbsolutePath()
                  + " (check --db; 'wif serve --db "
                  + mistyped
                  + "' creates a new one)"
                  + System.lineSeparator());
    }
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void listWhenKeysHaveNamesOfDifferentLengthsThenColumnsAligned() {
    String db = existingDatabase();
    run("admin-keys", "create", "--name", "a-rather-long-key-name-for-ci", "--db", db);
    run("admin-keys", "create", "--name", "x", "--db", db);

    java.util.List<String> lines = run("admin-keys", "list", "--db", db).out().lines().toList();

    assertThat(lines).hasSize(3);
    for (String column : new String[] {"NAME", "PREFIX", "CREATED", "STATUS"}) {
      int at = lines.getFirst().indexOf(column);
      for (String line : lines.subList(1, lines.size())) {
        assertThat(line.charAt(at - 1)).as(column + " in " + line).isEqualTo(' ');
        assertThat(line.charAt(at)).as(column + " in " + line).isNotEqualTo(' ');
      }
    }
  }
}
