package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseSpecTest {

  static Stream<Arguments> postgresUrls() {
    return Stream.of(
        Arguments.of(
            Named.of("plain", "postgresql://127.0.0.1:5432/test"),
            new DatabaseSpec.PostgresUrl(
                "jdbc:postgresql://127.0.0.1:5432/test",
                Optional.empty(),
                Optional.empty(),
                Optional.empty())),
        Arguments.of(
            Named.of("postgres scheme with user", "postgres://root@db.internal/wif"),
            new DatabaseSpec.PostgresUrl(
                "jdbc:postgresql://db.internal/wif",
                Optional.of("root"),
                Optional.empty(),
                Optional.empty())),
        Arguments.of(
            Named.of(
                "jdbc with escaped password and schema",
                "jdbc:postgresql://wif:p%40ss%3Aw+rd@10.0.0.5:6432/prod?currentSchema=wif&sslmode=require"),
            new DatabaseSpec.PostgresUrl(
                "jdbc:postgresql://10.0.0.5:6432/prod?currentSchema=wif&sslmode=require",
                Optional.of("wif"),
                Optional.of("p@ss:w+rd"),
                Optional.of("wif"))),
        Arguments.of(
            Named.of(
                "currentSchema with an empty first entry", "postgresql://h/db?currentSchema=,"),
            new DatabaseSpec.PostgresUrl(
                "jdbc:postgresql://h/db?currentSchema=,",
                Optional.empty(),
                Optional.empty(),
                Optional.empty())),
        Arguments.of(
            Named.of("upper-case scheme, two hosts", "PostgreSQL://a:5432,b:5432/x"),
            new DatabaseSpec.PostgresUrl(
                "jdbc:postgresql://a:5432,b:5432/x",
                Optional.empty(),
                Optional.empty(),
                Optional.empty())));
  }

  @ParameterizedTest
  @MethodSource("postgresUrls")
  void parseWhenPostgresUrlThenJdbcUrlWithoutCredentials(
      String spec, DatabaseSpec.PostgresUrl expected) {
    assertThat(DatabaseSpec.parse(spec)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("filePaths")
  void parseWhenFilePathThenSqlite(String spec) {
    assertThat(DatabaseSpec.parse(spec))
        .isEqualTo(new DatabaseSpec.SqliteFile(Path.of(spec.strip())));
  }

  static Stream<Named<String>> filePaths() {
    return Stream.of(
        Named.of("relative", "./data/wif.db"),
        Named.of("absolute", "/var/lib/wif/wif.db"),
        Named.of("bare name", "wif.db"),
        Named.of("surrounding blanks", "  data/wif.db "));
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of(Named.of("empty", ""), "database spec is empty"),
        Arguments.of(Named.of("blank", "   "), "database spec is empty"),
        Arguments.of(
            Named.of("mysql", "mysql://127.0.0.1/test"), "unsupported database URL scheme 'mysql'"),
        Arguments.of(
            Named.of("jdbc sqlite", "jdbc:sqlite:wif.db"),
            "unsupported database URL scheme 'jdbc'"),
        Arguments.of(Named.of("in-memory", ":memory:"), "in-memory SQLite is not supported"),
        Arguments.of(Named.of("no host", "postgresql:///test"), "PostgreSQL URL has no host"),
        Arguments.of(
            Named.of("no host with user", "postgresql://u:secret@/test"),
            "PostgreSQL URL has no host"),
        Arguments.of(
            Named.of("nested path", "postgresql://h/a/b"), "must be a single database name"),
        Arguments.of(Named.of("NUL in path", "data/w\u0000if.db"), "invalid database file path"));
  }

  @ParameterizedTest
  @MethodSource("badSpecs")
  void parseWhenBadSpecThenIllegalArgumentNamingTheProblem(String spec, String message) {
    assertThatThrownBy(() -> DatabaseSpec.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("secret");
  }

  @ParameterizedTest
  @MethodSource("displays")
  void displayWhenPasswordGivenThenNeverShown(String spec, String display) {
    assertThat(DatabaseSpec.parse(spec).display()).isEqualTo(display);
    assertThat(DatabaseSpec.parse(spec).toString()).doesNotContain("hunter2");
  }

  static Stream<Arguments> displays() {
    return Stream.of(
        Arguments.of(
            "postgresql://wif:hunter2@127.0.0.1:5432/test", "postgresql://wif@127.0.0.1:5432/test"),
        Arguments.of(
            "postgres://127.0.0.1/test?sslmode=disable",
            "postgresql://127.0.0.1/test?sslmode=disable"),
        Arguments.of(
            "postgresql://h/db?user=wif&password=hunter2&sslpassword=hunter2&ssl=true",
            "postgresql://h/db?user=wif&password=***&sslpassword=***&ssl=true"),
        Arguments.of("data/wif.db", "data/wif.db"));
  }
}
