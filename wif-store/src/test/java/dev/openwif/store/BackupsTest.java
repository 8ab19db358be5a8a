package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.AdminKey;
import dev.openwif.token.StoredSigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {
  @TempDir Path dir;

  private Path populated() {
    Path db = dir.resolve("live/wif.db");
    try (JdbcFederationStore store = Stores.open(db.toString())) {
      store.projects().insert(Records.project("proj_1", at(0)));
      store.serviceAccounts().insert(Records.serviceAccount("sa_1", "proj_1", at(1)));
      store.providers().insert(Records.provider("wip_1", "google", at(2)));
      store.rules().insert(Records.rule("rule_1", "wip_1", Optional.of("r"), "sa_1", at(3)));
      store
          .adminKeys()
          .insert(new AdminKey("key_1", "ops", "hash-1", "wifadm_ab", at(4), Optional.empty()));
      store.signingKeys().insert(new StoredSigningKey("kid-1", "{\"kty\":\"EC\"}", at(5)));
    }
    return db;
  }

  @Test
  void backupThenRestoreWhenDatabaseHasDataThenEverythingIsBack() {
    Path live = populated();
    Path backup = dir.resolve("backups/wif-backup.db");

    try (JdbcFederationStore open = Stores.open(live.toString())) {
      // the server still has it open and writes while the backup runs
      open.projects().insert(Records.project("proj_2", at(6)));
      Backups.backup(live.toString(), backup);
    }
    Path restored = dir.resolve("restored/wif.db");
    Backups.restore(backup, restored.toString(), false);

    try (JdbcFederationStore store = Stores.open(restored.toString())) {
      assertThat(store.projects().find("proj_2")).isPresent();
      assertThat(store.serviceAccounts().find("sa_1")).isPresent();
      assertThat(store.providers().find("wip_1")).isPresent();
      assertThat(store.rules().find("rule_1")).isPresent();
      assertThat(store.adminKeys().findBySecretHash("hash-1")).isPresent();
      assertThat(store.signingKeys().listAll())
          .extracting(StoredSigningKey::kid)
          .containsExactly("kid-1");
    }
  }

  @Test
  void backupWhenDoneThenOnlyTheOwnerMayReadTheFileAndAnExistingOutIsRefused() throws Exception {
    Path live = populated();
    Path backup = dir.resolve("wif-backup.db");

    Backups.backup(live.toString(), backup);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
        .isEqualTo("rw-------");
    assertThatThrownBy(() -> Backups.backup(live.toString(), backup))
        .hasMessage(backup + " already exists: give a new file for --out");
  }

  @Test
  void backupWhenPostgresOrMissingThenRefusedWithTheReason() {
    assertThatThrownBy(() -> Backups.backup("postgresql://127.0.0.1/test", dir.resolve("b.db")))
        .hasMessage(
            "wif backup works on an SQLite database; for PostgreSQL use pg_dump (see docs/operations.md)");
    Path missing = dir.resolve("none.db");
    assertThatThrownBy(() -> Backups.backup(missing.toString(), dir.resolve("b.db")))
        .hasMessage("no database at " + missing + " (check --db)");
  }

  @Test
  void restoreWhenTargetExistsThenRefusedUnlessForce() {
    Path live = populated();
    Path backup = dir.resolve("wif-backup.db");
    Backups.backup(live.toString(), backup);
    Path target = dir.resolve("target.db");
    try (JdbcFederationStore other = Stores.open(target.toString())) {
      other.projects().insert(Records.project("proj_other", at(0)));
    }

    assertThatThrownBy(() -> Backups.restore(backup, target.toString(), false))
        .hasMessage(target + " already exists: give --force to replace it (stop the server first)");
    Backups.restore(backup, target.toString(), true);

    try (JdbcFederationStore store = Stores.open(target.toString())) {
      assertThat(store.projects().find("proj_other")).isEmpty();
      assertThat(store.projects().find("proj_1")).isPresent();
    }
  }

  @Test
  void restoreWhenFileIsNotAnOpenWifDatabaseThenRefused() throws Exception {
    Path plain = dir.resolve("plain.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + plain)) {
      c.createStatement().execute("CREATE TABLE t (x INTEGER)");
    }
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello, not a database at all........");

    assertThatThrownBy(() -> Backups.restore(plain, dir.resolve("t.db").toString(), false))
        .hasMessage(plain + " is not an OpenWIF database (no schema history)");
    assertThatThrownBy(() -> Backups.restore(text, dir.resolve("t.db").toString(), false))
        .hasMessageStartingWith(text + " is not an OpenWIF database");
    assertThat(dir.resolve("t.db")).doesNotExist();
  }

  @Test
  void restoreWhenSchemaIsNewerThanThisBuildThenRefused() throws Exception {
    Path live = populated();
    Path backup = dir.resolve("wif-backup.db");
    Backups.backup(live.toString(), backup);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup)) {
      c.createStatement()
          .execute(
              "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                  + " checksum, installed_by, execution_time, success) VALUES (999, '999', 'future',"
                  + " 'SQL', 'V999__future.sql', 0, 'test', 0, 1)");
    }

    assertThatThrownBy(() -> Backups.restore(backup, dir.resolve("t.db").toString(), false))
        .hasMessageStartingWith(backup + " has schema version 999, newer than this build's");
    assertThat(dir.resolve("t.db")).doesNotExist();
  }

  @Test
  void restoreWhenPostgresThenRefusedPointingAtPgRestore() throws Exception {
    Path backup = dir.resolve("b.db");
    assertThatThrownBy(() -> Backups.restore(backup, "postgresql://127.0.0.1/test", false))
        .hasMessageStartingWith(
            "wif restore restores an SQLite database; restore a PostgreSQL database with pg_restore");
  }
}
