package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.store.Stores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AdminKeysCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new WifCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void createWhenRunThenSecretPrintedOnceAndOnlyItsHashStored() {
    String db = dir.resolve("wif.db").toString();

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
    String db = dir.resolve("wif.db").toString();
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
    assertThat(run.err().strip()).startsWith("wif admin-keys: ").doesNotContain("\n\tat ");
  }
}
