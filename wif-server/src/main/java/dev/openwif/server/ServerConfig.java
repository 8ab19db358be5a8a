package dev.openwif.server;

import dev.openwif.oidc.DiscoverySettings;
import dev.openwif.server.gateway.GatewayUpstream;
import dev.openwif.server.http.ConnectionLimits;
import dev.openwif.server.http.PublicUrl;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.server.tls.TlsFiles;
import dev.openwif.token.MasterKeyFormat;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code wif serve} can be told. Immutable; change a copy with the {@code withX}
 * methods.
 *
 * @param host the address to bind (default {@code 127.0.0.1})
 * @param port the port to bind, {@code 0} for any free port (default {@code 8080})
 * @param publicUrl the URL clients reach the server at (the access tokens' {@code iss}), checked
 *     and without trailing slash by {@link PublicUrl#parse}; when empty, {@code
 *     http://host:boundPort}
 * @param dbSpec a SQLite file path or a {@code postgresql://} URL (default {@code ./data/wif.db})
 * @param dev allows {@code http://} and loopback issuers and JWKS fetches (never in production)
 * @param tokenTtl how long minted access tokens live (default 3600 s; the Java SDK re-exchanges
 *     below 1200 s)
 * @param bootstrapAdminKey the first admin key, when the database has none (from {@code
 *     WIF_BOOTSTRAP_ADMIN_KEY}, at least {@value #MIN_BOOTSTRAP_ADMIN_KEY_LENGTH} characters); when
 *     empty a random one is made and shown once
 * @param masterKey when set (from {@code WIF_MASTER_KEY}, 32 or more random bytes in base64: {@link
 *     MasterKeyFormat}), the server's signing keys are stored AES-256-GCM encrypted under it
 * @param rateLimits the token endpoint's and admin API's abuse limits (default {@link
 *     RateLimits#defaults()})
 * @param upstream what the {@code /v1} gateway answers from: the demo model (default) or a proxied
 *     OpenAI-compatible API with its key (never printed)
 * @param trustedProxies the proxies whose {@code X-Forwarded-For} names the client address for
 *     per-address limits ({@code --trusted-proxy}); none by default
 * @param maxSnapshotAge how long after the last successful read of the federation configuration the
 *     in-memory snapshot is still honoured ({@code --max-snapshot-age}, default 5 min, at least
 *     {@link #MIN_MAX_SNAPSHOT_AGE}: three re-sync intervals); past it exchanges answer 503 and the
 *     gateway 401
 * @param issuerKeysWait the longest an exchange waits for a fetch of its issuer's keys ({@code
 *     --issuer-keys-wait}, 0 to {@value #MAX_ISSUER_KEYS_WAIT_SECONDS} s; default 2 s)
 * @param auditRetention how long audit events are kept ({@code --audit-retention}; default 90 days)
 * @param connectionLimits the HTTP listener's caps on connections, concurrent requests and slow
 *     clients (default {@link ConnectionLimits#defaults()})
 * @param signingKeyRotation how often the active signing key is replaced ({@code
 *     --signing-key-rotation}, at least {@link #MIN_SIGNING_KEY_ROTATION}); off (empty) by default
 * @param tls the certificate and key files the server serves HTTPS with ({@code --tls-cert}, {@code
 *     --tls-key}); plain HTTP (behind a TLS-terminating proxy) when empty
 * @param metricsAddress where {@code /metrics} is served on a listener of its own ({@code
 *     --metrics-address}); when empty, on the main listener
 * @param syncInterval how often the node re-reads its configuration and signing keys from the
 *     database whatever it was told ({@code --sync-interval}, {@value #MIN_SYNC_INTERVAL_SECONDS}
 *     to {@value #MAX_SYNC_INTERVAL_SECONDS} s, default 5 s): the fallback behind PostgreSQL {@code
 *     LISTEN}/{@code NOTIFY}, the only way on SQLite; at most a third of {@code maxSnapshotAge}
 * @param clusterNodes how many nodes serve {@code /v1} behind one balancer ({@code
 *     --cluster-nodes}, 1 to {@value #MAX_CLUSTER_NODES}, default 1): each node enforces a service
 *     account's rate limits divided by this number, so all nodes together allow about the limit
 */
public record ServerConfig(
    String host,
    int port,
    Optional<String> publicUrl,
    String dbSpec,
    boolean dev,
    Duration tokenTtl,
    Optional<String> bootstrapAdminKey,
    RateLimits rateLimits,
    Optional<String> masterKey,
    GatewayUpstream upstream,
    TrustedProxies trustedProxies,
    Duration maxSnapshotAge,
    Duration issuerKeysWait,
    AuditRetention auditRetention,
    ConnectionLimits connectionLimits,
    Optional<Duration> signingKeyRotation,
    Optional<TlsFiles> tls,
    Optional<MetricsAddress> metricsAddress,
    Duration syncInterval,
    int clusterNodes) {

  /** The largest {@code --cluster-nodes} accepted. */
  public static final int MAX_CLUSTER_NODES = 1000;

  /** The shortest {@code --sync-interval} accepted. */
  public static final long MIN_SYNC_INTERVAL_SECONDS = 1;

  /** The longest {@code --sync-interval} accepted. */
  public static final long MAX_SYNC_INTERVAL_SECONDS = 60;

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_DB = "./data/wif.db";
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);

  /** The default maximum age of the federation snapshot. */
  public static final Duration DEFAULT_MAX_SNAPSHOT_AGE = Duration.ofMinutes(5);

  /**
   * The shortest maximum snapshot age: three re-sync intervals, so one or two failed or slow
   * re-reads do not take the node out of service.
   */
  public static final Duration MIN_MAX_SNAPSHOT_AGE =
      Duration.ofSeconds(3 * FederationSync.RESYNC_INTERVAL_SECONDS);

  /** The longest maximum snapshot age accepted (a day). */
  public static final Duration MAX_MAX_SNAPSHOT_AGE = Duration.ofDays(1);

  /** The longest {@code --issuer-keys-wait} accepted: a longer wait would hold clients hanging. */
  public static final long MAX_ISSUER_KEYS_WAIT_SECONDS = 30;

  /** The shortest scheduled signing-key rotation interval accepted. */
  public static final Duration MIN_SIGNING_KEY_ROTATION = Duration.ofHours(1);

  /**
   * The shortest bootstrap admin key accepted (the minimum {@code AdminKeys.bootstrapWith} also
   * enforces); checked here so {@code wif serve} refuses it before it opens or creates a database.
   */
  public static final int MIN_BOOTSTRAP_ADMIN_KEY_LENGTH = 16;

  /** The longest admin key the admin API accepts in a request: a longer one could never sign in. */
  public static final int MAX_BOOTSTRAP_ADMIN_KEY_LENGTH = 512;

  public ServerConfig {
    Objects.requireNonNull(metricsAddress, "metricsAddress");
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    Objects.requireNonNull(publicUrl, "publicUrl");
    publicUrl = publicUrl.map(url -> PublicUrl.parse(url).url());
    Objects.requireNonNull(dbSpec, "dbSpec");
    if (dbSpec.isBlank()) {
      throw new IllegalArgumentException("dbSpec must not be blank");
    }
    Objects.requireNonNull(tokenTtl, "tokenTtl");
    if (tokenTtl.isNegative() || tokenTtl.isZero()) {
      throw new IllegalArgumentException("tokenTtl must be positive");
    }
    Objects.requireNonNull(bootstrapAdminKey, "bootstrapAdminKey");
    if (bootstrapAdminKey.isPresent()
        && bootstrapAdminKey.get().length() < MIN_BOOTSTRAP_ADMIN_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "the bootstrap admin key must be at least "
              + MIN_BOOTSTRAP_ADMIN_KEY_LENGTH
              + " characters");
    }
    if (bootstrapAdminKey.isPresent()
        && bootstrapAdminKey.get().length() > MAX_BOOTSTRAP_ADMIN_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "the bootstrap admin key must be at most "
              + MAX_BOOTSTRAP_ADMIN_KEY_LENGTH
              + " characters (the admin API refuses longer keys)");
    }
    Objects.requireNonNull(rateLimits, "rateLimits");
    Objects.requireNonNull(masterKey, "masterKey");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    Objects.requireNonNull(issuerKeysWait, "issuerKeysWait");
    if (issuerKeysWait.isNegative()
        || issuerKeysWait.compareTo(Duration.ofSeconds(MAX_ISSUER_KEYS_WAIT_SECONDS)) > 0) {
      throw new IllegalArgumentException(
          "issuerKeysWait must be between 0 and " + MAX_ISSUER_KEYS_WAIT_SECONDS + " seconds");
    }
    Objects.requireNonNull(auditRetention, "auditRetention");
    Objects.requireNonNull(connectionLimits, "connectionLimits");
    masterKey.ifPresent(MasterKeyFormat::check);
    Objects.requireNonNull(maxSnapshotAge, "maxSnapshotAge");
    if (maxSnapshotAge.compareTo(MIN_MAX_SNAPSHOT_AGE) < 0
        || maxSnapshotAge.compareTo(MAX_MAX_SNAPSHOT_AGE) > 0) {
      throw new IllegalArgumentException(
          "the maximum snapshot age must be between "
              + MIN_MAX_SNAPSHOT_AGE.toSeconds()
              + " s (three re-sync intervals of "
              + FederationSync.RESYNC_INTERVAL_SECONDS
              + " s) and "
              + MAX_MAX_SNAPSHOT_AGE.toSeconds()
              + " s, was "
              + maxSnapshotAge.toMillis()
              + " ms");
    }
    Objects.requireNonNull(syncInterval, "syncInterval");
    if (syncInterval.compareTo(Duration.ofSeconds(MIN_SYNC_INTERVAL_SECONDS)) < 0
        || syncInterval.compareTo(Duration.ofSeconds(MAX_SYNC_INTERVAL_SECONDS)) > 0) {
      throw new IllegalArgumentException(
          "the sync interval must be between "
              + MIN_SYNC_INTERVAL_SECONDS
              + " and "
              + MAX_SYNC_INTERVAL_SECONDS
              + " s, was "
              + syncInterval.toMillis()
              + " ms");
    }
    if (maxSnapshotAge.compareTo(syncInterval.multipliedBy(3)) < 0) {
      throw new IllegalArgumentException(
          "the maximum snapshot age ("
              + maxSnapshotAge.toSeconds()
              + " s) must be at least three sync intervals ("
              + syncInterval.multipliedBy(3).toSeconds()
              + " s)");
    }
    if (clusterNodes < 1 || clusterNodes > MAX_CLUSTER_NODES) {
      throw new IllegalArgumentException(
          "the number of cluster nodes must be between 1 and "
              + MAX_CLUSTER_NODES
              + ", was "
              + clusterNodes);
    }
    Objects.requireNonNull(signingKeyRotation, "signingKeyRotation");
    Objects.requireNonNull(tls, "tls");
    if (signingKeyRotation.isPresent()
        && signingKeyRotation.get().compareTo(MIN_SIGNING_KEY_ROTATION) < 0) {
      throw new IllegalArgumentException(
          "the signing key rotation interval must be at least "
              + MIN_SIGNING_KEY_ROTATION.toHours()
              + " hour");
    }
  }

  /**
   * The defaults of {@code wif serve}: 127.0.0.1:8080, {@code ./data/wif.db}, not dev, 3600 s
   * tokens.
   */
  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        Optional.empty(),
        DEFAULT_DB,
        false,
        DEFAULT_TOKEN_TTL,
        Optional.empty(),
        RateLimits.defaults(),
        Optional.empty(),
        GatewayUpstream.demo(),
        TrustedProxies.none(),
        DEFAULT_MAX_SNAPSHOT_AGE,
        DiscoverySettings.DEFAULT_MAX_WAIT,
        AuditRetention.defaults(),
        ConnectionLimits.defaults(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(FederationSync.RESYNC_INTERVAL_SECONDS),
        1);
  }

  /**
   * Enforces each service account limit divided by {@code value} nodes ({@code --cluster-nodes}).
   */
  public ServerConfig withClusterNodes(int value) {
    Copy c = new Copy(this);
    c.clusterNodes = value;
    return c.build();
  }

  /** Re-reads the configuration from the database at least this often ({@code --sync-interval}). */
  public ServerConfig withSyncInterval(Duration value) {
    Copy c = new Copy(this);
    c.syncInterval = value;
    return c.build();
  }

  public ServerConfig withHost(String value) {
    Copy c = new Copy(this);
    c.host = value;
    return c.build();
  }

  public ServerConfig withPort(int value) {
    Copy c = new Copy(this);
    c.port = value;
    return c.build();
  }

  public ServerConfig withPublicUrl(String value) {
    Copy c = new Copy(this);
    c.publicUrl = Optional.of(value);
    return c.build();
  }

  public ServerConfig withDbSpec(String value) {
    Copy c = new Copy(this);
    c.dbSpec = value;
    return c.build();
  }

  public ServerConfig withDev(boolean value) {
    Copy c = new Copy(this);
    c.dev = value;
    return c.build();
  }

  public ServerConfig withTokenTtl(Duration value) {
    Copy c = new Copy(this);
    c.tokenTtl = value;
    return c.build();
  }

  public ServerConfig withBootstrapAdminKey(String value) {
    Copy c = new Copy(this);
    c.bootstrapAdminKey = Optional.of(value);
    return c.build();
  }

  public ServerConfig withRateLimits(RateLimits value) {
    Copy c = new Copy(this);
    c.rateLimits = value;
    return c.build();
  }

  /** Encrypts the server's signing keys at rest under this secret (from {@code WIF_MASTER_KEY}). */
  public ServerConfig withMasterKey(String value) {
    Copy c = new Copy(this);
    c.masterKey = Optional.of(value);
    return c.build();
  }

  /** Sets what the {@code /v1} gateway answers from. */
  public ServerConfig withUpstream(GatewayUpstream value) {
    Copy c = new Copy(this);
    c.upstream = value;
    return c.build();
  }

  /** Attributes requests from these proxies to the client their {@code X-Forwarded-For} names. */
  public ServerConfig withTrustedProxies(TrustedProxies value) {
    Copy c = new Copy(this);
    c.trustedProxies = value;
    return c.build();
  }

  /** Honours the federation snapshot for at most this long after its last successful read. */
  public ServerConfig withMaxSnapshotAge(Duration value) {
    Copy c = new Copy(this);
    c.maxSnapshotAge = value;
    return c.build();
  }

  /** How long an exchange waits, at most, for a fetch of its issuer's keys. */
  public ServerConfig withIssuerKeysWait(Duration value) {
    Copy c = new Copy(this);
    c.issuerKeysWait = value;
    return c.build();
  }

  /** Keeps audit events this long ({@code --audit-retention}). */
  public ServerConfig withAuditRetention(AuditRetention value) {
    Copy c = new Copy(this);
    c.auditRetention = value;
    return c.build();
  }

  /** Sets the HTTP listener's caps on connections, concurrent requests and slow clients. */
  public ServerConfig withConnectionLimits(ConnectionLimits value) {
    Copy c = new Copy(this);
    c.connectionLimits = value;
    return c.build();
  }

  /** Replaces the active signing key every {@code value} (scheduled rotation). */
  public ServerConfig withSigningKeyRotation(Duration value) {
    Copy c = new Copy(this);
    c.signingKeyRotation = Optional.of(value);
    return c.build();
  }

  /** Serves HTTPS with these certificate and key files, reloaded when they change. */
  public ServerConfig withTls(TlsFiles value) {
    Copy c = new Copy(this);
    c.tls = Optional.of(value);
    return c.build();
  }

  /** Serves {@code /metrics} on a listener of its own at this address. */
  public ServerConfig withMetricsAddress(MetricsAddress value) {
    Copy c = new Copy(this);
    c.metricsAddress = Optional.of(value);
    return c.build();
  }

  /** A field-by-field copy for the {@code with...} methods; {@link #build} validates again. */
  private static final class Copy {
    String host;
    int port;
    Optional<String> publicUrl;
    String dbSpec;
    boolean dev;
    Duration tokenTtl;
    Optional<String> bootstrapAdminKey;
    RateLimits rateLimits;
    Optional<String> masterKey;
    GatewayUpstream upstream;
    TrustedProxies trustedProxies;
    Duration maxSnapshotAge;
    Duration issuerKeysWait;
    AuditRetention auditRetention;
    ConnectionLimits connectionLimits;
    Optional<Duration> signingKeyRotation;
    Optional<TlsFiles> tls;
    Optional<MetricsAddress> metricsAddress;
    Duration syncInterval;
    int clusterNodes;

    Copy(ServerConfig c) {
      host = c.host;
      port = c.port;
      publicUrl = c.publicUrl;
      dbSpec = c.dbSpec;
      dev = c.dev;
      tokenTtl = c.tokenTtl;
      bootstrapAdminKey = c.bootstrapAdminKey;
      rateLimits = c.rateLimits;
      masterKey = c.masterKey;
      upstream = c.upstream;
      trustedProxies = c.trustedProxies;
      maxSnapshotAge = c.maxSnapshotAge;
      issuerKeysWait = c.issuerKeysWait;
      auditRetention = c.auditRetention;
      connectionLimits = c.connectionLimits;
      signingKeyRotation = c.signingKeyRotation;
      tls = c.tls;
      metricsAddress = c.metricsAddress;
      syncInterval = c.syncInterval;
      clusterNodes = c.clusterNodes;
    }

    ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          publicUrl,
          dbSpec,
          dev,
          tokenTtl,
          bootstrapAdminKey,
          rateLimits,
          masterKey,
          upstream,
          trustedProxies,
          maxSnapshotAge,
          issuerKeysWait,
          auditRetention,
          connectionLimits,
          signingKeyRotation,
          tls,
          metricsAddress,
          syncInterval,
          clusterNodes);
    }
  }

  /**
   * The database spec as it may be shown: a PostgreSQL URL's password (in its user info or a {@code
   * password} parameter) replaced by {@code ***}.
   */
  static String withoutPassword(String dbSpec) {
    return dbSpec
        .replaceAll("(://[^/@:?#]*):[^@/?#]*@", "$1:***@")
        .replaceAll("(?i)([?&](?:ssl)?password=)[^&]*", "$1***");
  }

  /**
   * Never prints the bootstrap admin key, the master key, the upstream API key or a database
   * password.
   */
  @Override
  public String toString() {
    return "ServerConfig[host="
        + host
        + ", port="
        + port
        + ", publicUrl="
        + publicUrl
        + ", dbSpec="
        + withoutPassword(dbSpec)
        + ", dev="
        + dev
        + ", tokenTtl="
        + tokenTtl
        + ", bootstrapAdminKey="
        + bootstrapAdminKey.map(k -> "<set>")
        + ", rateLimits="
        + rateLimits
        + ", masterKey="
        + masterKey.map(k -> "<set>")
        + ", upstream="
        + upstream
        + ", trustedProxies="
        + trustedProxies.ranges()
        + ", maxSnapshotAge="
        + maxSnapshotAge
        + ", issuerKeysWait="
        + issuerKeysWait
        + ", auditRetention="
        + auditRetention
        + ", connectionLimits="
        + connectionLimits
        + ", signingKeyRotation="
        + signingKeyRotation
        + ", tls="
        + tls
        + ", metricsAddress="
        + metricsAddress
        + ", syncInterval="
        + syncInterval
        + ", clusterNodes="
        + clusterNodes
        + "]";
  }

  /**
   * The public URL, or when none was configured {@code https://host:boundPort} with {@link #tls()},
   * {@code http://host:boundPort} without.
   */
  public String effectivePublicUrl(int boundPort) {
    String scheme = tls.isPresent() ? "https" : "http";
    return publicUrl.orElseGet(() -> scheme + "://" + hostForUrl() + ":" + boundPort);
  }

  private String hostForUrl() {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
