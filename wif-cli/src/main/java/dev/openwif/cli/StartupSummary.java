package dev.openwif.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines {@code wif serve} prints once it listens: version, database, dev mode, whether the
 * signing keys are encrypted, and a note when {@code WIF_BOOTSTRAP_ADMIN_KEY} was ignored. The last
 * line is always {@code OpenWIF listening on URL}, which scripts wait for. Never shows a secret.
 *
 * @param database where the data is, as the store shows it (a PostgreSQL password is hidden)
 * @param newDatabase true when this start created the SQLite file
 * @param bootstrapKeyIgnored true when {@code WIF_BOOTSTRAP_ADMIN_KEY} is set but the database
 *     already had admin keys
 */
record StartupSummary(
    String version,
    String url,
    String database,
    boolean newDatabase,
    boolean dev,
    boolean signingKeysEncrypted,
    boolean bootstrapKeyIgnored) {

  static final String LISTENING = "OpenWIF listening on ";

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("OpenWIF " + version);
    lines.add(
        "  database:      " + database + (newDatabase ? " (new: this start created it)" : ""));
    lines.add(
        "  dev mode:      "
            + (dev ? "on (http:// and loopback issuers allowed; never in production)" : "off"));
    lines.add(
        "  signing keys:  "
            + (signingKeysEncrypted
                ? "encrypted at rest (WIF_MASTER_KEY is set)"
                : "NOT encrypted at rest (set WIF_MASTER_KEY to encrypt them)"));
    if (bootstrapKeyIgnored) {
      lines.add(
          "  admin keys:    "
              + ServeCommand.BOOTSTRAP_ENV
              + " is ignored: this database already has admin keys (manage them with"
              + " 'wif admin-keys')");
    }
    lines.add(LISTENING + url);
    return lines;
  }
}
