package dev.openwif.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the store lives, parsed from the {@code --db} value: a file path (SQLite) or a PostgreSQL
 * URL ({@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://}, user, password and
 * database taken from the URL, query parameters passed to the driver). Immutable.
 */
sealed interface DatabaseSpec {

  /** How the spec is shown in messages and logs: never with a password. */
  String display();

  /** An SQLite database file. */
  record SqliteFile(Path path) implements DatabaseSpec {
    public SqliteFile {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String display() {
      return path.toString();
    }
  }

  /**
   * A PostgreSQL database.
   *
   * @param jdbcUrl {@code jdbc:postgresql://hosts/db?params} without credentials
   * @param schema the first schema of {@code currentSchema}, which migrations create when missing
   */
  record PostgresUrl(
      String jdbcUrl, Optional<String> user, Optional<String> password, Optional<String> schema)
      implements DatabaseSpec {
    public PostgresUrl {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(schema, "schema");
    }

    @Override
    public String display() {
      String shown = jdbcUrl.replaceAll("(?i)([?&](?:ssl)?password=)[^&]*", "$1***");
      return user.map(u -> shown.replaceFirst("^jdbc:postgresql://", "postgresql://" + u + "@"))
          .orElse(shown.replaceFirst("^jdbc:", ""));
    }

    @Override
    public String toString() {
      return "PostgresUrl[" + display() + "]";
    }
  }

  Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
  Pattern POSTGRES =
      Pattern.compile("^(?:jdbc:postgresql|postgresql|postgres)://(.*)$", Pattern.CASE_INSENSITIVE);

  /**
   * Parses a {@code --db} value.
   *
   * @throws IllegalArgumentException naming what is wrong: blank, in-memory, an unsupported scheme,
   *     a URL without a host, an unparseable path
   */
  static DatabaseSpec parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String s = spec.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException(
          "database spec is empty: give a file path (SQLite) or a postgresql:// URL");
    }
    var pg = POSTGRES.matcher(s);
    if (pg.matches()) {
      return parsePostgres(pg.group(1));
    }
    var scheme = SCHEME.matcher(s);
    // A single letter before ':' is a Windows drive, not a scheme.
    if (scheme.find() && scheme.group(1).length() > 1) {
      throw new IllegalArgumentException(
          "unsupported database URL scheme '"
              + scheme.group(1).toLowerCase(Locale.ROOT)
              + "': give a file path (SQLite) or a postgresql:// URL");
    }
    if (s.equals(":memory:")) {
      throw new IllegalArgumentException("in-memory SQLite is not supported: give a file path");
    }
    try {
      return new SqliteFile(Path.of(s));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "invalid database file path '" + s + "': " + e.getReason());
    }
  }

  private static PostgresUrl parsePostgres(String rest) {
    int slash = indexOfAny(rest, "/?");
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String tail = slash < 0 ? "" : rest.substring(slash);
    int at = authority.lastIndexOf('@');
    String hosts = at < 0 ? authority : authority.substring(at + 1);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "PostgreSQL URL has no host: expected postgresql://[user[:password]@]host[:port]/database");
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      int colon = userInfo.indexOf(':');
      String u = colon < 0 ? userInfo : userInfo.substring(0, colon);
      user = u.isEmpty() ? Optional.empty() : Optional.of(decode(u));
      password = colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
    }
    int query = tail.indexOf('?');
    String path = query < 0 ? tail : tail.substring(0, query);
    String params = query < 0 ? "" : tail.substring(query + 1);
    if (path.length() > 1 && path.substring(1).contains("/")) {
      throw new IllegalArgumentException(
          "PostgreSQL URL path must be a single database name: " + path);
    }
    return new PostgresUrl(
        "jdbc:postgresql://" + hosts + path + (params.isEmpty() ? "" : "?" + params),
        user,
        password,
        currentSchema(params));
  }

  private static Optional<String> currentSchema(String params) {
    for (String pair : params.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase("currentSchema")) {
        // Not split(","): it returns no element at all for "," (trailing empty strings are
        // dropped).
        String schemas = decode(pair.substring(eq + 1));
        int comma = schemas.indexOf(',');
        String first = (comma < 0 ? schemas : schemas.substring(0, comma)).strip();
        return first.isEmpty() ? Optional.empty() : Optional.of(first);
      }
    }
    return Optional.empty();
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PostgreSQL URL has a malformed percent-escape");
    }
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
