package dev.openwif.cli;

import dev.openwif.store.Stores;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the PostgreSQL password read from {@code --db-password-file} into the {@code --db} URL, so
 * the password is in neither the command line nor the environment. The store never shows it: a
 * URL's password is hidden wherever the database is named.
 */
final class DatabasePassword {
  private static final Pattern URL =
      Pattern.compile(
          "^((?:jdbc:postgresql|postgresql|postgres)://)([^/?]*)(.*)$", Pattern.CASE_INSENSITIVE);

  private DatabasePassword() {}

  /**
   * {@code db} with {@code password} as its password.
   *
   * @throws IllegalArgumentException when {@code db} is an SQLite file or its URL holds a password
   *     already
   */
  static String apply(String db, String password) {
    if (Stores.sqliteFile(db).isPresent()) {
      throw new IllegalArgumentException(
          "--db-password-file is for a PostgreSQL --db URL; --db " + db + " is an SQLite file");
    }
    Matcher url = URL.matcher(db.strip());
    if (!url.matches()) {
      throw new IllegalArgumentException("--db-password-file needs a postgresql:// --db URL");
    }
    String authority = url.group(2);
    int at = authority.lastIndexOf('@');
    String user = at < 0 ? "" : authority.substring(0, at);
    if (user.contains(":")) {
      throw new IllegalArgumentException(
          "--db URL holds a password and --db-password-file is set; give only one");
    }
    String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
    return url.group(1) + user + ":" + encoded + "@" + authority.substring(at + 1) + url.group(3);
  }
}
