package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditQuery;
import dev.openwif.federation.AdminKey;
import dev.openwif.federation.PageRequest;
import dev.openwif.token.StoredSigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class StoresTest {
  @TempDir Path dir;

  @Test
  void sqliteFileWhenPathThenThePathAndWhenPostgresUrlThenEmpty() {
    assertThat(Stores.sqliteFile(dir.resolve("wif.db").toString())).contains(dir.resolve("wif.db"));
    assertThat(Stores.sqliteFile("postgresql://u:secret@127.0.0.1:5432/db")).isEmpty();
  }

  @Test
  void openWhenFilePathThenCreatesDirectoriesAndUsesWalWithForeignKeys() throws Exception {
    Path file = dir.resolve("a/b/wif.db");
    try (JdbcFederationStore store = Stores.open(file.toString())) {
      assertThat(store.dialect()).isEqualTo("sqlite");
      assertThat(store.description()).isEqualTo(file.toString());
      store.projects().insert(Records.project("proj_1", at(0)));
    }
    assertThat(file).isRegularFile();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void openWhenFileAndDirectoryAreNewThenOnlyTheOwnerMayReadThem() throws Exception {
    Path file = dir.resolve("private/wif.db");
    try (JdbcFederationStore store = Stores.open(file.toString())) {
      store.signingKeys().insert(new StoredSigningKey("kid-1", "{}", at(0)));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      Path wal = file.resolveSibling("wif.db-wal");
      assertThat(wal).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void openWhenDirectoryIsOnlyListableByOthersThenNoWarning() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("listable"));
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-xr-x"));
    Logger logger = (Logger) LoggerFactory.getLogger(SqliteConnector.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Stores.open(sub.resolve("wif.db").toString()).close();
    } finally {
      logger.detachAppender(appender);
    }
    assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
  }

  @Test
  void openWhenExistingFileIsWorldReadableThenWarnsWithTheFix() throws Exception {
    Path file = dir.resolve("wif.db");
    Stores.open(file.toString()).close();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Logger logger = (Logger) LoggerFactory.getLogger(SqliteConnector.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Stores.open(file.toString()).close();
    } finally {
      logger.detachAppender(appender);
    }
    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains(file.toString()).contains("chmod 600"));
  }

  @Test
  void openWhenSqliteThenForeignKeysAreEnforced() {
    try (JdbcFederationStore store = Stores.open(dir.resolve("wif.db").toString())) {
      assertThatThrownBy(
              () ->
                  store
                      .serviceAccounts()
                      .insert(Records.serviceAccount("sa_1", "proj_missing", at(0))))
          .isInstanceOf(ReferenceViolationException.class)
          .hasMessage("project proj_missing does not exist");
    }
  }

  @Test
  void openWhenPathIsDirectoryThenIllegalArgument() {
    assertThatThrownBy(() -> Stores.open(dir.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("database path " + dir + " is a directory: give a file path");
  }

  @Test
  void openWhenFileIsNotSqliteThenIllegalArgument() throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(
        file, "this is not a database, but it is long enough to have a header page. ".repeat(20));
    assertThatThrownBy(() -> Stores.open(file.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot open SQLite database " + file + ": ")
        .hasMessageContaining("not a database");
  }

  @Test
  void openWhenParentCannotBeCreatedThenIllegalArgument() throws Exception {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    assertThatThrownBy(() -> Stores.open(blocker.resolve("sub/wif.db").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot create the database directory " + blocker.resolve("sub"));
  }

  @Test
  void openWhenPostgresUnreachableThenIllegalArgumentWithoutPassword() {
    assertThatThrownBy(() -> Stores.open("postgresql://wif:hunter2@127.0.0.1:1/test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "cannot connect to PostgreSQL at postgresql://wif@127.0.0.1:1/test: ")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void openWhenPostgresDatabaseMissingThenIllegalArgument() {
    assertThatThrownBy(
            () -> Stores.open("postgresql://postgres@127.0.0.1:5432/wif_no_such_database"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "cannot connect to PostgreSQL at postgresql://postgres@127.0.0.1:5432/wif_no_such_database: ")
        .hasMessageContaining("wif_no_such_database");
  }

  @Test
  void openWhenUnsupportedSchemeThenIllegalArgument() {
    assertThatThrownBy(() -> Stores.open("mysql://127.0.0.1/test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unsupported database URL scheme 'mysql': give a file path (SQLite) or a postgresql:// URL");
  }

  @Test
  void openWhenPostgresRoleUnknownThenIllegalArgument() {
    assertThatThrownBy(() -> Stores.open("postgresql://wif_no_such_role@127.0.0.1:5432/test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "cannot connect to PostgreSQL at postgresql://wif_no_such_role@127.0.0.1:5432/test: ")
        .hasMessageContaining("wif_no_such_role");
  }

  @Test
  void openWhenPostgresSchemaMissingThenCreatedAndMigrated() throws Exception {
    String schema = "wif_test_created_" + Long.toHexString(System.nanoTime());
    try (JdbcFederationStore store =
        Stores.open(StoreFixture.POSTGRES_URL + "?currentSchema=" + schema)) {
      assertThat(store.dialect()).isEqualTo("postgresql");
      store.projects().insert(Records.project("proj_1", at(0)));
      try (Connection c = StoreFixture.postgresAdmin();
          var rs =
              c.createStatement().executeQuery("SELECT count(*) FROM " + schema + ".projects")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    } finally {
      try (Connection c = StoreFixture.postgresAdmin()) {
        c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void openWhenSecondProcessWritesSameSqliteFileThenBothSucceedWithoutBusyErrors()
      throws Exception {
    String file = dir.resolve("shared.db").toString();
    try (JdbcFederationStore server = Stores.open(file);
        JdbcFederationStore cli = Stores.open(file)) {
      int each = 40;
      List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
      List<Thread> writers = new ArrayList<>();
      for (JdbcFederationStore store : List.of(server, cli)) {
        for (int t = 0; t < 3; t++) {
          String prefix = (store == server ? "s" : "c") + t + "_";
          writers.add(
              Thread.ofPlatform()
                  .start(
                      () -> {
                        try {
                          for (int i = 0; i < each; i++) {
                            store.projects().insert(Records.project(prefix + i, at(i)));
                            assertThat(store.projects().find(prefix + i)).isPresent();
                          }
                        } catch (Throwable e) {
                          errors.add(e);
                        }
                      }));
        }
      }
      for (Thread w : writers) {
        w.join(120_000);
      }
      assertThat(errors).isEmpty();
      int total = 0;
      Optional<String> after = Optional.empty();
      for (int i = 0; i < 10; i++) {
        var page =
            cli.projects().list(new PageRequest(100, after, PageRequest.SortOrder.ASC), true);
        total += page.data().size();
        if (!page.hasMore()) {
          break;
        }
        after = Optional.of(page.data().getLast().id());
      }
      assertThat(total).isEqualTo(6 * each);
    }
  }

  @StoreTest
  void reopenWhenRestartedThenEverythingIsKept(StoreFixture fixture) {
    JdbcFederationStore store = fixture.store();
    store.projects().insert(Records.project("proj_1", at(0)));
    store.serviceAccounts().insert(Records.serviceAccount("sa_1", "proj_1", at(1)));
    var provider = Records.provider("wip_1", "google", at(2));
    store.providers().insert(provider);
    var rule = Records.rule("wifr_1", "wip_1", Optional.of("compute"), "sa_1", at(3));
    store.rules().insert(rule);
    var adminKey =
        new AdminKey("key_1", "bootstrap", "ab".repeat(32), "sk-admin-ab", at(4), Optional.empty());
    store.adminKeys().insert(adminKey);
    var signingKey = new StoredSigningKey("kid-1", "{\"kty\":\"EC\",\"d\":\"x\"}", at(5));
    store.signingKeys().insert(signingKey);
    var event =
        new AuditEvent.AdminChange(
            "evt_1", at(6), "project.created", "key_1", "proj_1", "{\"id\":\"proj_1\"}");
    store.auditSink().record(event);

    JdbcFederationStore reopened = fixture.reopen();

    assertThat(reopened.projects().find("proj_1")).contains(Records.project("proj_1", at(0)));
    assertThat(reopened.serviceAccounts().listAll())
        .containsExactly(Records.serviceAccount("sa_1", "proj_1", at(1)));
    assertThat(reopened.providers().listAll()).containsExactly(provider);
    assertThat(reopened.rules().listAll()).containsExactly(rule);
    assertThat(reopened.adminKeys().listAll()).containsExactly(adminKey);
    assertThat(reopened.signingKeys().listAll()).containsExactly(signingKey);
    assertThat(
            reopened
                .auditLog()
                .list(
                    new AuditQuery(
                        Set.of(), Optional.empty(), Optional.empty(), 10, Optional.empty()))
                .data())
        .containsExactly(event);
    assertThat(reopened.projects().list(PageRequest.first(10), true).data()).hasSize(1);
  }
}
