package dev.openwif.cli;

import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.server.AuditRetention;
import dev.openwif.server.MetricsAddress;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import dev.openwif.server.gateway.GatewayUpstream;
import dev.openwif.server.gateway.UpstreamKey;
import dev.openwif.server.gateway.UpstreamRoute;
import dev.openwif.server.gateway.UpstreamTarget;
import dev.openwif.server.http.Cidr;
import dev.openwif.server.http.ConnectionLimits;
import dev.openwif.server.http.TrustedProxies;
import dev.openwif.server.infra.CryptoStatus;
import dev.openwif.server.infra.NativeCrypto;
import dev.openwif.server.infra.SigningWarmUp;
import dev.openwif.server.tls.TlsCredentials;
import dev.openwif.server.tls.TlsFiles;
import dev.openwif.store.JdbcFederationStore;
import dev.openwif.store.Stores;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wif serve}: runs the server until SIGTERM or Ctrl-C. When ready prints a short summary
 * ({@link StartupSummary}) ending with the line with the URL, preceded on the first start of an
 * empty database by the one-time admin key (shown once, never logged). {@code
 * WIF_BOOTSTRAP_ADMIN_KEY} sets that first key instead (automation). Errors are one line, no stack
 * trace.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the OpenWIF server (admin API, token exchange, /v1 gateway).")
public final class ServeCommand
    implements Callable<Integer>, EnvironmentHelp.Documented, ConfigSources.Configured {
  static final String BOOTSTRAP_ENV = "WIF_BOOTSTRAP_ADMIN_KEY";
  static final String MASTER_KEY_ENV = "WIF_MASTER_KEY";
  static final String UPSTREAM_KEY_ENV = "WIF_UPSTREAM_API_KEY";
  static final String DEMO_UPSTREAM = "demo";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public List<EnvironmentHelp.Variable> environment() {
    return List.of(
        new EnvironmentHelp.Variable(
            BOOTSTRAP_ENV,
            "The first admin key of a new database (at least 16 characters); ignored when the"
                + " database has admin keys. Or use --bootstrap-admin-key-file."),
        new EnvironmentHelp.Variable(
            MASTER_KEY_ENV,
            "Encrypts the stored signing keys (AES-256-GCM; 32+ random bytes in base64, from openssl rand -base64 32); needed on"
                + " every start once keys are encrypted. Or use --master-key-file."),
        new EnvironmentHelp.Variable(
            UPSTREAM_KEY_ENV,
            "The key sent upstream as 'Authorization: Bearer' with --upstream URL (never logged,"
                + " never returned); or use --upstream-api-key-file."),
        new EnvironmentHelp.Variable(
            NativeCrypto.ENVIRONMENT,
            "off: use the JDK's crypto providers instead of the native one (the default for"
                + " --native-crypto; the flag wins)."),
        new EnvironmentHelp.Variable(
            "WIF_JAVA_OPTS", "Extra JVM options (read by the ./wif launcher)."));
  }

  @Option(
      names = ConfigSources.CONFIG_OPTION,
      paramLabel = "FILE",
      description =
          "YAML file of settings: each key is a flag without its dashes, for example 'port: 8080'"
              + " (a list for a repeatable flag). A flag wins over its environment variable, which"
              + " wins over the file.")
  Optional<Path> configFile;

  @Option(
      names = "--master-key-file",
      paramLabel = "PATH",
      description = "File holding the master key, instead of " + MASTER_KEY_ENV + ".")
  Optional<Path> masterKeyFile;

  @Option(
      names = "--bootstrap-admin-key-file",
      paramLabel = "PATH",
      description =
          "File holding the first admin key of a new database, instead of " + BOOTSTRAP_ENV + ".")
  Optional<Path> bootstrapAdminKeyFile;

  @Option(
      names = "--db-password-file",
      paramLabel = "PATH",
      description =
          "File holding the password of the PostgreSQL --db URL (the URL then holds none).")
  Optional<Path> dbPasswordFile;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}). Any other than a loopback address needs"
              + " --public-url (or --dev).",
      defaultValue = ServerConfig.DEFAULT_HOST)
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to bind, 0 for any free port (default: ${DEFAULT-VALUE}).",
      defaultValue = "8080")
  int port;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "Public URL (default: http://HOST:PORT, or https with --tls-cert): how clients reach"
              + " this server, and the issuer of its access tokens.")
  Optional<String> publicUrl;

  @Option(
      names = "--db",
      paramLabel = "PATH|URL",
      description = "SQLite file (default: ${DEFAULT-VALUE}) or PostgreSQL URL.",
      defaultValue = ServerConfig.DEFAULT_DB)
  String db;

  @Option(
      names = "--dev",
      description = "Development mode: allow http:// and loopback issuers. Never in production.")
  boolean dev;

  @Option(
      names = "--token-ttl",
      paramLabel = "SECONDS",
      description = "Lifetime of minted access tokens in seconds (default: ${DEFAULT-VALUE}).",
      defaultValue = "3600")
  long tokenTtlSeconds;

  @Option(
      names = "--issuer-keys-wait",
      paramLabel = "SECONDS",
      description =
          "Longest an exchange waits for its issuer's keys to be fetched, 0 to 30 (default: ${DEFAULT-VALUE}); 503 beyond.",
      defaultValue = "2")
  long issuerKeysWaitSeconds;

  @Option(
      names = "--sync-interval",
      paramLabel = "SECONDS",
      description =
          "Re-read the configuration and signing keys from the database this often, 1 to 60"
              + " (default: ${DEFAULT-VALUE}); on PostgreSQL the fallback behind LISTEN/NOTIFY,"
              + " which applies changes at once. At most a third of --max-snapshot-age.",
      defaultValue = "5")
  long syncIntervalSeconds;

  @Option(
      names = "--cluster-nodes",
      paramLabel = "N",
      description =
          "How many nodes serve /v1 behind one load balancer, 1 to 1000 (default:"
              + " ${DEFAULT-VALUE}); each node enforces a service account's rate limits divided"
              + " by N, so all nodes together allow about the limit.",
      defaultValue = "1")
  int clusterNodes;

  @Option(
      names = "--signing-key-rotation",
      paramLabel = "DURATION",
      description =
          "Replace the active signing key this often: 30d, 12h, P30D, or off (default:"
              + " ${DEFAULT-VALUE}; at least 1h). One node rotates; the old key verifies until its"
              + " tokens expired.",
      defaultValue = "off")
  String signingKeyRotation;

  @Option(
      names = "--exchange-rate-per-address",
      paramLabel = "PER_SECOND",
      description =
          "Sustained token exchanges per client address (default: ${DEFAULT-VALUE}); 429 slow_down beyond.",
      defaultValue = "50")
  double exchangeRatePerAddress;

  @Option(
      names = "--exchange-burst-per-address",
      paramLabel = "N",
      description =
          "Token exchanges a client address may make at once (default: ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int exchangeBurstPerAddress;

  @Option(
      names = "--exchange-rate-per-provider",
      paramLabel = "PER_SECOND",
      description = "Sustained token exchanges per identity provider (default: ${DEFAULT-VALUE}).",
      defaultValue = "200")
  double exchangeRatePerProvider;

  @Option(
      names = "--exchange-burst-per-provider",
      paramLabel = "N",
      description =
          "Token exchanges an identity provider may see at once (default: ${DEFAULT-VALUE}).",
      defaultValue = "400")
  int exchangeBurstPerProvider;

  @Option(
      names = "--exchange-failure-rate-per-provider",
      paramLabel = "PER_SECOND",
      description =
          "Sustained failed subject-token verifications per identity provider (default:"
              + " ${DEFAULT-VALUE}); beyond them the addresses that keep failing are slowed, never"
              + " those sending valid tokens.",
      defaultValue = "20")
  double exchangeFailureRatePerProvider;

  @Option(
      names = "--exchange-failure-burst-per-provider",
      paramLabel = "N",
      description =
          "Failed subject-token verifications an identity provider may see at once (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int exchangeFailureBurstPerProvider;

  @Option(
      names = "--bearer-failure-rate-per-address",
      paramLabel = "PER_SECOND",
      description =
          "Sustained failed access-token verifications on /v1 per client address (default:"
              + " ${DEFAULT-VALUE}); beyond them 429 before any verification.",
      defaultValue = "2")
  double bearerFailureRatePerAddress;

  @Option(
      names = "--bearer-failure-burst-per-address",
      paramLabel = "N",
      description =
          "Failed access-token verifications on /v1 a client address may make at once (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "20")
  int bearerFailureBurstPerAddress;

  @Option(
      names = "--max-snapshot-age",
      paramLabel = "DURATION",
      description =
          "How long the in-memory federation configuration is honoured after its last successful"
              + " read from the database, for example 300s or 5m (default: ${DEFAULT-VALUE}, at least 15s,"
              + " at most 24h). Past it exchanges answer 503 and /v1 answers 401 until a re-read"
              + " succeeds.",
      defaultValue = "5m")
  String maxSnapshotAge;

  @Option(
      names = "--admin-auth-failures-per-minute",
      paramLabel = "N",
      description =
          "Failed admin-key authentications per client address per minute before 429 (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int adminAuthFailuresPerMinute;

  @Option(
      names = "--trusted-proxy",
      paramLabel = "CIDR",
      description =
          "A proxy or load balancer (address or CIDR range, repeatable) whose X-Forwarded-For"
              + " names the client address for per-address limits. Default: none, the TCP peer"
              + " is the client.")
  List<String> trustedProxies = new ArrayList<>();

  @Option(
      names = "--audit-retention",
      paramLabel = "DURATION",
      description =
          "How long audit events are kept: days (90d) or hours (36h), at least 1h, or 'forever'."
              + " Older events are deleted hourly, in small batches (default: ${DEFAULT-VALUE}).",
      defaultValue = "90d")
  String auditRetention = "90d";

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description =
          "Open client connections at most; a connection beyond is answered 503 and closed"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + ConnectionLimits.DEFAULT_MAX_CONNECTIONS)
  int maxConnections;

  @Option(
      names = "--max-concurrent-requests",
      paramLabel = "N",
      description =
          "Requests handled at once at most, streamed /v1 answers included; beyond: 503"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + ConnectionLimits.DEFAULT_MAX_CONCURRENT_REQUESTS)
  int maxConcurrentRequests;

  @Option(
      names = "--header-timeout",
      paramLabel = "SECONDS",
      description =
          "How long a client may take to send a request's line and headers before its connection"
              + " is closed (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  long headerTimeoutSeconds;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      description =
          "How long a connection may wait for its next request, or for more of a request body,"
              + " before it is closed (default: ${DEFAULT-VALUE}).",
      defaultValue = "60")
  long idleTimeoutSeconds;

  @Option(
      names = "--upstream",
      paramLabel = "URL|demo",
      description =
          "Where /v1 goes: ${DEFAULT-VALUE} (the default, the built-in demo model) or the base"
              + " URL of an OpenAI-compatible API, with its path (for OpenAI, /v1).",
      defaultValue = DEMO_UPSTREAM)
  String upstream;

  @Option(
      names = "--upstream-api-key-file",
      paramLabel = "PATH",
      description =
          "File holding the upstream API key, instead of WIF_UPSTREAM_API_KEY; read at start and"
              + " again when it changes (a Kubernetes secret mount works).")
  Optional<Path> upstreamApiKeyFile;

  @Option(
      names = "--upstream-identity-provider-id",
      paramLabel = "ID",
      description =
          "Authenticate to --upstream by workload identity instead of a key: the upstream's"
              + " workload identity provider id. Needs --upstream-service-account-id and"
              + " --upstream-subject-token; not with WIF_UPSTREAM_API_KEY or"
              + " --upstream-api-key-file.")
  Optional<String> upstreamIdentityProviderId = Optional.empty();

  @Option(
      names = "--upstream-service-account-id",
      paramLabel = "ID",
      description = "The upstream's service account this server acts as (workload identity).")
  Optional<String> upstreamServiceAccountId = Optional.empty();

  @Option(
      names = "--upstream-subject-token",
      paramLabel = "SOURCE",
      description =
          "This server's own identity token for the upstream exchange. From the Google metadata"
              + " server (GCE_METADATA_HOST is honoured): the word metadata, a colon, then the"
              + " audience to ask for. From a mounted token file (a GKE projected token), read at"
              + " each exchange: the word file, a colon, then its path.")
  Optional<String> upstreamSubjectToken = Optional.empty();

  @Option(
      names = "--upstream-token-url",
      paramLabel = "URL",
      description =
          "The upstream's token endpoint for the workload identity exchange (default: OpenAI's"
              + " token endpoint).",
      defaultValue = "https://auth.openai.com/oauth/token")
  String upstreamTokenUrl = "https://auth.openai.com/oauth/token";

  @Option(
      names = "--upstream-connect-timeout",
      paramLabel = "SECONDS",
      description = "Upstream connection timeout, then 504 (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  long upstreamConnectTimeoutSeconds;

  @Option(
      names = "--upstream-timeout",
      paramLabel = "SECONDS",
      description =
          "How long to wait for the upstream's response headers, then 504 (default: ${DEFAULT-VALUE}).",
      defaultValue = "600")
  long upstreamTimeoutSeconds;

  @Option(
      names = "--upstream-idle-timeout",
      paramLabel = "SECONDS",
      description =
          "How long the upstream may send nothing once its answer has begun; then 504, or the"
              + " client's connection is cut if part of the answer was sent (default: ${DEFAULT-VALUE}).",
      defaultValue = "120")
  long upstreamIdleTimeoutSeconds;

  @Option(
      names = "--upstream-route",
      paramLabel = "MODEL_GLOB=URL",
      description =
          "Send JSON requests whose model matches MODEL_GLOB ('*' matches anything) to URL"
              + " instead of --upstream, without the upstream API key. Repeatable; the first match"
              + " wins.")
  List<String> upstreamRoutes = new ArrayList<>();

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description =
          "Serve HTTPS with this certificate chain (PEM, the server's certificate first); needs"
              + " --tls-key. Re-read when the file changes. Without both, plain HTTP for a"
              + " TLS-terminating proxy.")
  Optional<Path> tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description =
          "The private key of --tls-cert (PEM, unencrypted: PKCS#8, or traditional RSA or EC)."
              + " Re-read when the file changes.")
  Optional<Path> tlsKey;

  @Option(
      names = "--native-crypto",
      paramLabel = "on|off",
      description =
          "Sign and verify with the native provider (Amazon Corretto Crypto Provider, Linux"
              + " x86-64), falling back to the JDK's where it cannot load; off: the JDK's"
              + " providers (default: on, or WIF_NATIVE_CRYPTO).")
  Optional<String> nativeCrypto;

  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      description =
          "Log lines on stderr: text (default) or json, one JSON object per line with timestamp,"
              + " level, logger, message and request_id.",
      defaultValue = "text")
  String logFormat = "text";

  @Option(
      names = "--metrics-address",
      paramLabel = "ADDRESS",
      description =
          "Serve /metrics (Prometheus text) on a listener of its own at ADDRESS, a host and a"
              + " port joined by a colon (for example 127.0.0.1 and 9464), and not on --port."
              + " Default: /metrics on --port.")
  Optional<String> metricsAddress = Optional.empty();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      LogFormat.parse(logFormat).apply(); // before anything is logged
    } catch (IllegalArgumentException e) {
      CliErrors.print(spec, e);
      return 2;
    }
    ServerConfig config;
    boolean nativeWanted;
    try {
      nativeWanted = nativeCryptoWanted(System.getenv(NativeCrypto.ENVIRONMENT));
      config =
          config(
              SecretFile.read(
                      BOOTSTRAP_ENV,
                      System.getenv(BOOTSTRAP_ENV),
                      "--bootstrap-admin-key-file",
                      bootstrapAdminKeyFile)
                  .orElse(null));
      config = config.withUpstream(upstream(System.getenv(UPSTREAM_KEY_ENV)));
      Optional<String> masterKey =
          SecretFile.read(
              MASTER_KEY_ENV, System.getenv(MASTER_KEY_ENV), "--master-key-file", masterKeyFile);
      if (masterKey.isPresent()) {
        config = config.withMasterKey(masterKey.get());
      }
    } catch (IllegalArgumentException e) {
      CliErrors.print(spec, e);
      return 2;
    }
    // before any key is read: the provider list is the process's, every later lookup uses it
    CryptoStatus crypto = NativeCrypto.install(nativeWanted);
    Optional<String> listenProblem = ListenAddress.problem(config.host(), config.port());
    if (listenProblem.isPresent()) {
      CliErrors.print(spec, listenProblem.get());
      return 1;
    }
    // on the other core while the database opens and migrates; the self-test still runs at start
    SigningWarmUp.startInBackground();
    JdbcFederationStore store;
    boolean newDatabase;
    try {
      newDatabase = Stores.sqliteFile(db).map(path -> !Files.exists(path)).orElse(false);
      store = Stores.open(config.dbSpec());
    } catch (IllegalArgumentException e) {
      CliErrors.print(spec, e);
      return 1;
    }
    boolean hadAdminKeys = !store.adminKeys().listAll().isEmpty();
    // the first upstream token is exchanged while the server starts; renewed from then on
    Optional<UpstreamWorkloadIdentity> upstreamIdentity =
        config.upstream().apiKey() instanceof UpstreamWorkloadIdentity identity
            ? Optional.of(identity.start())
            : Optional.empty();
    WifServer server;
    try {
      server = WifServer.start(config, store, Clock.systemUTC());
    } catch (RuntimeException e) {
      upstreamIdentity.ifPresent(UpstreamWorkloadIdentity::close);
      store.close();
      CliErrors.print(spec, describe(e, config));
      return 1;
    }
    server
        .generatedAdminKey()
        .ifPresent(
            key -> {
              out.println(
                  "An admin key was created for this new database. It is shown only this once; store it safely:");
              out.println();
              out.println("    " + key);
              out.println();
              out.println(
                  "Use it as 'Authorization: Bearer <key>' on /v1/organization. Manage keys with 'wif admin-keys'.");
            });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    upstreamIdentity.ifPresent(UpstreamWorkloadIdentity::close);
                    server.close();
                  } finally {
                    store.close();
                    stopped.countDown();
                  }
                },
                "wif-shutdown"));
    List<String> summary =
        new ArrayList<>(
            new StartupSummary(
                    WifVersion.version(),
                    server.baseUrl(),
                    store.description(),
                    newDatabase,
                    config.dev(),
                    config.masterKey().isPresent(),
                    server.unencryptedSigningKeys(),
                    crypto.summary(),
                    config.bootstrapAdminKey().isPresent() && hadAdminKeys,
                    config.upstream().target().map(t -> t.base().toString()),
                    config.upstream().apiKey().isSet(),
                    upstreamIdentity.map(UpstreamWorkloadIdentity::description),
                    config.upstream().routes().stream().map(UpstreamRoute::toString).toList(),
                    server.tlsCertificate())
                .lines());
    summary.addAll(1, EffectiveConfiguration.lines(spec));
    if (config.clusterNodes() > 1) {
      summary.add(
          summary.size() - 1,
          "Service account rate limits: divided by "
              + config.clusterNodes()
              + " (--cluster-nodes); this node enforces 1/"
              + config.clusterNodes()
              + " of each account's limit.");
    }
    summary.forEach(out::println);
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Whether native crypto is wanted: {@code --native-crypto}, else {@code envValue} ({@code
   * WIF_NATIVE_CRYPTO}) when set, else on.
   *
   * @throws IllegalArgumentException naming the flag or variable holding something else than on or
   *     off
   */
  boolean nativeCryptoWanted(@Nullable String envValue) {
    if (nativeCrypto.isPresent()) {
      return NativeCrypto.parseSwitch(nativeCryptoSource(), nativeCrypto.get());
    }
    if (envValue != null && !envValue.isBlank()) {
      return NativeCrypto.parseSwitch(NativeCrypto.ENVIRONMENT, envValue);
    }
    return true;
  }

  /**
   * Where {@code --native-crypto}'s value came from, for an error message: the flag, or its
   * environment variable or configuration file when those set it.
   */
  private String nativeCryptoSource() {
    CommandLine.Model.OptionSpec option = spec.findOption("--native-crypto");
    if (option == null || spec.commandLine().getParseResult() == null) {
      return "--native-crypto";
    }
    return switch (ConfigSources.sourceOf(spec, option)) {
      case ConfigSources.Source.Environment env -> env.variable();
      case ConfigSources.Source.File file -> "native-crypto in " + file.path();
      case ConfigSources.Source.Flag flag -> "--native-crypto";
      case ConfigSources.Source.Default none -> "--native-crypto";
    };
  }

  ServerConfig config(@Nullable String bootstrapKey) {
    if (tokenTtlSeconds < 1) {
      throw new IllegalArgumentException("--token-ttl must be a positive number of seconds");
    }
    if (issuerKeysWaitSeconds < 0
        || issuerKeysWaitSeconds > ServerConfig.MAX_ISSUER_KEYS_WAIT_SECONDS) {
      throw new IllegalArgumentException(
          "--issuer-keys-wait must be a number of seconds from 0 to "
              + ServerConfig.MAX_ISSUER_KEYS_WAIT_SECONDS);
    }
    ServerConfig config =
        ServerConfig.defaults()
            .withIssuerKeysWait(Duration.ofSeconds(issuerKeysWaitSeconds))
            .withHost(host)
            .withPort(port)
            .withDbSpec(database())
            .withDev(dev)
            .withTokenTtl(Duration.ofSeconds(tokenTtlSeconds))
            .withRateLimits(
                new dev.openwif.server.RateLimits(
                    exchangeRatePerAddress,
                    exchangeBurstPerAddress,
                    exchangeRatePerProvider,
                    exchangeBurstPerProvider,
                    adminAuthFailuresPerMinute,
                    exchangeFailureRatePerProvider,
                    exchangeFailureBurstPerProvider,
                    bearerFailureRatePerAddress,
                    bearerFailureBurstPerAddress));
    Duration snapshotAge = DurationFlag.parse("--max-snapshot-age", maxSnapshotAge);
    try {
      config = config.withMaxSnapshotAge(snapshotAge);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--max-snapshot-age: " + e.getMessage(), e);
    }
    if (syncIntervalSeconds < ServerConfig.MIN_SYNC_INTERVAL_SECONDS
        || syncIntervalSeconds > ServerConfig.MAX_SYNC_INTERVAL_SECONDS) {
      throw new IllegalArgumentException(
          "--sync-interval must be a number of seconds from "
              + ServerConfig.MIN_SYNC_INTERVAL_SECONDS
              + " to "
              + ServerConfig.MAX_SYNC_INTERVAL_SECONDS);
    }
    try {
      config = config.withSyncInterval(Duration.ofSeconds(syncIntervalSeconds));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--sync-interval: " + e.getMessage(), e);
    }
    if (clusterNodes < 1 || clusterNodes > ServerConfig.MAX_CLUSTER_NODES) {
      throw new IllegalArgumentException(
          "--cluster-nodes must be a whole number from 1 to " + ServerConfig.MAX_CLUSTER_NODES);
    }
    config = config.withClusterNodes(clusterNodes);
    if (publicUrl.isPresent()) {
      try {
        config = config.withPublicUrl(publicUrl.get());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--public-url: " + e.getMessage(), e);
      }
    } else if (!dev) {
      ListenAddress.publicUrlProblem(host)
          .ifPresent(
              problem -> {
                throw new IllegalArgumentException(problem);
              });
    }
    Optional<Duration> rotation = RotationInterval.parse(signingKeyRotation);
    if (rotation.isPresent()) {
      config = config.withSigningKeyRotation(rotation.get());
    }
    if (bootstrapKey != null && !bootstrapKey.isBlank()) {
      config = config.withBootstrapAdminKey(bootstrapKey.strip());
    }
    List<Cidr> ranges = new ArrayList<>();
    for (String value : trustedProxies) {
      try {
        ranges.add(Cidr.parse(value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--trusted-proxy: " + e.getMessage(), e);
      }
    }
    config = withTls(config);
    if (metricsAddress.isPresent()) {
      config = config.withMetricsAddress(MetricsAddress.parse(metricsAddress.get()));
    }
    return config
        .withTrustedProxies(new TrustedProxies(ranges))
        .withAuditRetention(AuditRetention.parse(auditRetention))
        .withConnectionLimits(connectionLimits());
  }

  /**
   * {@code --tls-cert} and {@code --tls-key}, both or neither, read once here so that a bad file is
   * one error line before anything starts.
   */
  private ServerConfig withTls(ServerConfig config) {
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException(
          "--tls-cert and --tls-key go together: give both to serve HTTPS, or neither to serve"
              + " plain HTTP behind a TLS-terminating proxy");
    }
    if (tlsCert.isEmpty()) {
      return config;
    }
    TlsFiles files = new TlsFiles(tlsCert.get(), tlsKey.orElseThrow());
    TlsCredentials.read(files);
    return config.withTls(files);
  }

  /** {@code --db}, with the password of {@code --db-password-file} when given. */
  private String database() {
    return dbPasswordFile
        .map(file -> DatabasePassword.apply(db, SecretFile.fromFile("--db-password-file", file)))
        .orElse(db);
  }

  private ConnectionLimits connectionLimits() {
    if (maxConnections < 1 || maxConcurrentRequests < 1) {
      throw new IllegalArgumentException(
          "--max-connections and --max-concurrent-requests must be at least 1");
    }
    if (headerTimeoutSeconds < 1 || idleTimeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "--header-timeout and --idle-timeout must be positive numbers of seconds");
    }
    return new ConnectionLimits(
        maxConnections,
        maxConcurrentRequests,
        Duration.ofSeconds(headerTimeoutSeconds),
        Duration.ofSeconds(idleTimeoutSeconds));
  }

  /**
   * The {@code /v1} upstream from {@code --upstream}, its timeouts, and the key from {@code envKey}
   * ({@code WIF_UPSTREAM_API_KEY}) or {@code --upstream-api-key-file}, never both.
   *
   * @throws IllegalArgumentException naming the problem (never the key)
   */
  GatewayUpstream upstream(@Nullable String envKey) {
    if (upstreamConnectTimeoutSeconds < 1
        || upstreamTimeoutSeconds < 1
        || upstreamIdleTimeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "--upstream-connect-timeout, --upstream-timeout and --upstream-idle-timeout must be"
              + " positive numbers of seconds");
    }
    Optional<String> envValue =
        Optional.ofNullable(envKey).map(String::strip).filter(k -> !k.isEmpty());
    boolean envSet = envValue.isPresent();
    if (envSet && upstreamApiKeyFile.isPresent()) {
      throw new IllegalArgumentException(
          UPSTREAM_KEY_ENV + " and --upstream-api-key-file are both set; give only one");
    }
    Optional<UpstreamWorkloadIdentity.Settings> identity = upstreamIdentity();
    if (identity.isPresent() && (envSet || upstreamApiKeyFile.isPresent())) {
      throw new IllegalArgumentException(
          (envSet ? UPSTREAM_KEY_ENV : "--upstream-api-key-file")
              + " and --upstream-identity-provider-id are both set: the upstream is reached with"
              + " a static key or by workload identity, not both; give only one");
    }
    if (upstream.strip().equals(DEMO_UPSTREAM)) {
      if (!upstreamRoutes.isEmpty()) {
        throw new IllegalArgumentException(
            "--upstream-route needs --upstream URL (where the models no route matches go)");
      }
      if (envSet || upstreamApiKeyFile.isPresent()) {
        throw new IllegalArgumentException(
            "an upstream API key is given but --upstream is the demo model; give --upstream URL");
      }
      if (identity.isPresent()) {
        throw new IllegalArgumentException(
            "--upstream-identity-provider-id is given but --upstream is the demo model; give"
                + " --upstream URL");
      }
      return GatewayUpstream.demo();
    }
    GatewayUpstream result =
        GatewayUpstream.proxyingTo(UpstreamTarget.parse(upstream))
            .withTimeouts(
                Duration.ofSeconds(upstreamConnectTimeoutSeconds),
                Duration.ofSeconds(upstreamTimeoutSeconds))
            .withIdleTimeout(Duration.ofSeconds(upstreamIdleTimeoutSeconds))
            .withRoutes(routes());
    if (envSet) {
      return result.withApiKey(envValue.get());
    }
    if (identity.isPresent()) {
      return result.withApiKey(new UpstreamWorkloadIdentity(identity.get(), Clock.systemUTC()));
    }
    return upstreamApiKeyFile.map(file -> result.withApiKey(UpstreamKey.file(file))).orElse(result);
  }

  /**
   * The workload identity settings for the upstream, when {@code --upstream-identity-provider-id},
   * {@code --upstream-service-account-id} and {@code --upstream-subject-token} are all given; empty
   * when none is.
   *
   * @throws IllegalArgumentException when only some are given, or a value is not usable
   */
  Optional<UpstreamWorkloadIdentity.Settings> upstreamIdentity() {
    List<String> given = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    (upstreamIdentityProviderId.isPresent() ? given : missing)
        .add("--upstream-identity-provider-id");
    (upstreamServiceAccountId.isPresent() ? given : missing).add("--upstream-service-account-id");
    (upstreamSubjectToken.isPresent() ? given : missing).add("--upstream-subject-token");
    if (given.isEmpty()) {
      if (!upstreamTokenUrl
          .strip()
          .equals(WorkloadIdentityCredentials.OPENAI_TOKEN_URL.toString())) {
        throw new IllegalArgumentException(
            "--upstream-token-url needs --upstream-identity-provider-id,"
                + " --upstream-service-account-id and --upstream-subject-token");
      }
      return Optional.empty();
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          String.join(" and ", given)
              + (given.size() == 1 ? " is" : " are")
              + " given without "
              + String.join(" and ", missing)
              + ": workload identity to the upstream needs all three");
    }
    String provider = upstreamIdentityProviderId.get().strip();
    String account = upstreamServiceAccountId.get().strip();
    if (provider.isEmpty() || account.isEmpty()) {
      throw new IllegalArgumentException(
          "--upstream-identity-provider-id and --upstream-service-account-id must not be blank");
    }
    URI tokenUrl;
    try {
      tokenUrl = new URI(upstreamTokenUrl.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--upstream-token-url is not a valid URL");
    }
    String scheme = tokenUrl.getScheme() == null ? "" : tokenUrl.getScheme();
    if (!(scheme.equals("https") || scheme.equals("http"))
        || tokenUrl.getHost() == null
        || tokenUrl.getRawUserInfo() != null
        || tokenUrl.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "--upstream-token-url must be an absolute https:// URL without user info or query"
              + " (http:// only on a loopback address)");
    }
    return Optional.of(
        new UpstreamWorkloadIdentity.Settings(
            provider,
            account,
            UpstreamWorkloadIdentity.SubjectToken.parse(upstreamSubjectToken.get()),
            tokenUrl));
  }

  private List<UpstreamRoute> routes() {
    List<UpstreamRoute> routes = new ArrayList<>();
    for (int i = 0; i < upstreamRoutes.size(); i++) {
      routes.add(UpstreamRoute.parse(i + 1, upstreamRoutes.get(i)));
    }
    return routes;
  }

  /** One line naming the problem: a busy port, a bad database, or the first cause's message. */
  static String describe(RuntimeException e, ServerConfig config) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return "cannot listen on "
            + config.host()
            + ":"
            + config.port()
            + ": "
            + t.getMessage()
            + " (is another server running? choose another --port)";
      }
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
