package dev.openwif.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lines {@code wif serve} prints once it listens: version, database, dev mode, whether the
 * signing keys are encrypted, which crypto providers are in force, and a note when {@code
 * WIF_BOOTSTRAP_ADMIN_KEY} was ignored. The last line is always {@code OpenWIF listening on URL},
 * which scripts wait for. Never shows a secret.
 *
 * @param database where the data is, as the store shows it (a PostgreSQL password is hidden)
 * @param newDatabase true when this start created the SQLite file
 * @param crypto the crypto in force, as {@code CryptoStatus.summary()} says it: {@code native
 *     (Amazon Corretto Crypto Provider 2.5.0)} or {@code JDK providers (the reason)}
 * @param bootstrapKeyIgnored true when {@code WIF_BOOTSTRAP_ADMIN_KEY} is set but the database
 *     already had admin keys
 * @param upstream the URL {@code /v1} is proxied to; empty for the built-in demo model
 * @param upstreamKeySet whether an upstream API key is set (the key itself is never shown)
 * @param upstreamIdentity how the upstream token is obtained when it is by workload identity
 * @param routes the {@code --upstream-route}s, as {@code MODEL_GLOB=URL}, in order
 * @param tlsCertificate the certificate served when the server speaks HTTPS itself; empty for plain
 *     HTTP, which outside dev mode means a TLS-terminating proxy is expected in front
 */
record StartupSummary(
    String version,
    String url,
    String database,
    boolean newDatabase,
    boolean dev,
    boolean masterKeySet,
    long plainSigningKeys,
    String crypto,
    boolean bootstrapKeyIgnored,
    Optional<String> upstream,
    boolean upstreamKeySet,
    Optional<String> upstreamIdentity,
    List<String> routes,
    Optional<String> tlsCertificate) {

  static final String LISTENING = "OpenWIF listening on ";

  /**
   * What is true of the stored keys, not of the configuration: keys stored in plain text before a
   * master key was set are encrypted when the server starts with it; any left in plain text are
   * named.
   */
  private String signingKeys() {
    if (!masterKeySet) {
      return "NOT encrypted at rest (set WIF_MASTER_KEY to encrypt them)";
    }
    if (plainSigningKeys > 0) {
      return plainSigningKeys
          + " stored before WIF_MASTER_KEY was set are NOT encrypted at rest (new keys are)";
    }
    return "encrypted at rest (WIF_MASTER_KEY is set)";
  }

  private String tls() {
    if (tlsCertificate.isPresent()) {
      return "HTTPS with "
          + tlsCertificate.get()
          + ", TLS 1.3 and 1.2 only; re-read when its files change";
    }
    return dev
        ? "off (plain HTTP)"
        : "off: plain HTTP, a TLS-terminating proxy is expected in front (or give --tls-cert"
            + " and --tls-key)";
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("OpenWIF " + version);
    lines.add(
        "  database:      " + database + (newDatabase ? " (new: this start created it)" : ""));
    lines.add(
        "  dev mode:      "
            + (dev ? "on (http:// and loopback issuers allowed; never in production)" : "off"));
    lines.add("  signing keys:  " + signingKeys());
    lines.add("  tls:           " + tls());
    lines.add("  crypto:        " + crypto);
    lines.add(
        "  upstream:      "
            + upstream
                .map(
                    url ->
                        url
                            + upstreamIdentity
                                .map(identity -> " (token by " + identity + ", no static key)")
                                .orElse(
                                    upstreamKeySet
                                        ? " (API key set)"
                                        : " (no API key: requests go without Authorization)"))
                .orElse("demo model"));
    for (String route : routes) {
      lines.add("  route:         " + route + " (no API key sent)");
    }
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
