package dev.openwif.server;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.openwif.attribute.CompiledTransformations;
import dev.openwif.audit.AggregatingAuditSink;
import dev.openwif.audit.AuditUnavailableException;
import dev.openwif.directory.InMemoryFederationDirectory;
import dev.openwif.directory.ProviderState;
import dev.openwif.exchange.EarlyRefusals;
import dev.openwif.exchange.ExchangeExplainer;
import dev.openwif.exchange.ReplayGuard;
import dev.openwif.exchange.TokenExchange;
import dev.openwif.federation.FederationChangeListener;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.ReplayMemory;
import dev.openwif.federation.StoreUnavailableException;
import dev.openwif.federation.admin.AdminAudit;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.federation.admin.AdminWriteLock;
import dev.openwif.federation.admin.ProjectAdmin;
import dev.openwif.federation.admin.ProviderAdmin;
import dev.openwif.federation.admin.ProviderValidator;
import dev.openwif.federation.admin.ResourceServerAdmin;
import dev.openwif.federation.admin.RuleAdmin;
import dev.openwif.federation.admin.ServiceAccountAdmin;
import dev.openwif.federation.admin.SigningKeyAdmin;
import dev.openwif.oidc.DiscoveryKeySource;
import dev.openwif.oidc.DiscoverySettings;
import dev.openwif.oidc.IssuerFetchPool;
import dev.openwif.oidc.KeySources;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.policy.RuleMatcher;
import dev.openwif.server.admin.AdminApi;
import dev.openwif.server.admin.AdminAuthThrottle;
import dev.openwif.server.dashboard.Dashboard;
import dev.openwif.server.dashboard.DashboardSettings;
import dev.openwif.server.dashboard.TokenDebugger;
import dev.openwif.server.gateway.BearerFailureLimit;
import dev.openwif.server.gateway.GatewayMeter;
import dev.openwif.server.gateway.GatewayRoutes;
import dev.openwif.server.gateway.UpstreamCredential;
import dev.openwif.server.gateway.UpstreamCredentialState;
import dev.openwif.server.gateway.UpstreamProxy;
import dev.openwif.server.health.Check;
import dev.openwif.server.health.Readiness;
import dev.openwif.server.health.ReadinessEndpoint;
import dev.openwif.server.http.BoundedBody;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.server.http.RequestIds;
import dev.openwif.server.http.RouteTable;
import dev.openwif.server.http.WarningThrottle;
import dev.openwif.server.infra.HttpJwksFetcher;
import dev.openwif.server.infra.IssuerMetrics;
import dev.openwif.server.infra.IssuerOutageLog;
import dev.openwif.server.infra.MetricsEndpoint;
import dev.openwif.server.infra.NativeCrypto;
import dev.openwif.server.infra.OutboundUrlGuard;
import dev.openwif.server.infra.WifMetrics;
import dev.openwif.server.sts.AdmissionControl;
import dev.openwif.server.sts.ClientAuthThrottle;
import dev.openwif.server.sts.DiscoveryEndpoints;
import dev.openwif.server.sts.ExchangeRateLimiter;
import dev.openwif.server.sts.IntrospectionEndpoint;
import dev.openwif.server.sts.StsRoutes;
import dev.openwif.server.sts.TokenEndpoint;
import dev.openwif.store.FlushableAuditSink;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.AccessTokenProfile;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.EncryptedSigningKeyRepository;
import dev.openwif.token.SigningKeyLifecycle;
import dev.openwif.token.SigningKeyRepository;
import dev.openwif.token.SigningKeyRotation;
import dev.openwif.token.SigningKeys;
import dev.openwif.usage.UsageCounter;
import io.helidon.webserver.http.HttpRouting;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the one place the server's objects are made and wired, by hand, with
 * constructor injection, all of them when it is constructed. {@link WifServer} makes one per server
 * once the public URL is known, mounts {@link #routing} and closes it on shutdown.
 */
final class Main implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /**
   * Verified access tokens kept in memory: each entry is small (a hash and the claims), bounded so
   * that two such caches fit the 128 MiB heap the launcher gives the server; a token past the bound
   * costs one signature verification again.
   */
  static final int VERIFIED_TOKEN_CACHE = 20_000;

  /** Usage keys (minute, project, account, provider, model, status class) held between flushes. */
  static final int USAGE_PENDING_KEYS = 100_000;

  /**
   * (minute, client address, reason) tallies of refusals before authentication held at once; past
   * it, one overflow row per minute (so at most this many + 1 rows a minute from such refusals).
   */
  static final int COUNTED_AUDIT_KEYS = 10_000;

  final AdminKeys adminKeys;

  /** Signing keys stored unencrypted although a master key is set (read once at start). */
  final long unencryptedSigningKeys;

  private final ObjectMapper json =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private final OpenAiErrorWriter errors = new OpenAiErrorWriter(json);
  private final IssuerFetchPool issuerFetches;
  private final InMemoryFederationDirectory directory;
  private final FederationSync sync;
  private final ReplayMemory replayMemory;
  private final Optional<ReplayPurge> replayPurge;
  private final Optional<ScheduledKeyRotation> keyRotation;
  private final AdminApi admin;
  private final Dashboard dashboard;
  private final StsRoutes sts;
  private final GatewayRoutes gateway;
  private final Optional<UpstreamProxy> upstream;
  private final UsageCounter usage;
  private final UsageFlusher usageFlusher;
  private final AuditMaintenance auditMaintenance;
  private final GatewayMeter meter;
  private final WifMetrics metrics;
  private final boolean metricsOnMainListener;
  private final Readiness readiness;
  private volatile List<RouteTable.Route> routes = List.of();
  private final WarningThrottle auditWarnings = new WarningThrottle(Duration.ofSeconds(10));
  private final WarningThrottle storeWarnings = new WarningThrottle(Duration.ofSeconds(10));

  /**
   * @param publicUrl the URL clients reach the server at, no trailing slash: the access tokens'
   *     issuer, their audience + {@code /v1}
   */
  Main(ServerConfig config, FederationStore store, Clock clock, String publicUrl) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(publicUrl, "publicUrl");
    IdGenerator ids = new RandomIdGenerator();
    // which provider the serve command installed before this was built (NativeCrypto.install)
    this.metrics =
        new WifMetrics(
            WifMetrics.buildVersion(), NativeCrypto.current().nativeActive() ? "native" : "jdk");
    this.metricsOnMainListener = config.metricsAddress().isEmpty();
    IssuerMetrics issuerMetrics = metrics.issuers(this::issuerKeyFetchTimes);
    IssuerOutageLog outages = new IssuerOutageLog(clock);
    OutboundUrlGuard outbound = new OutboundUrlGuard(config.dev());
    HttpJwksFetcher jwksFetcher = new HttpJwksFetcher(outbound);
    // every issuer fetch runs here, bounded overall, never on a request thread
    this.issuerFetches = IssuerFetchPool.withDefaults();
    IssuerFetchPool fetches = issuerFetches;
    // every admin change: serialized across nodes, stored with its audit row in one transaction
    AdminWriteLock writeLock = new AdminWriteLock(store.adminTransactions());
    AdminAudit audit = new AdminAudit(store.adminAuditSink(), clock, ids);
    this.adminKeys =
        new AdminKeys(
            store.adminKeys(), writeLock, audit, "server", clock, ids, new SecureRandom());
    this.directory =
        new InMemoryFederationDirectory(
            store.providers(),
            store.rules(),
            store.serviceAccounts(),
            store.projects(),
            provider ->
                KeySources.forProvider(
                    provider,
                    jwksFetcher,
                    clock,
                    DiscoverySettings.defaults().withMaxWait(config.issuerKeysWait()),
                    fetches,
                    (providerId, issuer, failure) -> {
                      issuerMetrics.fetchEnded(providerId, issuer, failure);
                      outages.fetchEnded(providerId, issuer, failure);
                    }),
            clock,
            config.maxSnapshotAge());
    SigningKeyRepository signingKeyRepository = signingKeyRepository(config, store);
    this.unencryptedSigningKeys =
        config.masterKey().isPresent() ? unencryptedSigningKeys(store) : 0;
    FederationSync startedSync = null;
    ScheduledKeyRotation startedRotation = null;
    // several nodes on one PostgreSQL database share one replay memory; one SQLite node keeps its
    // own (no database round trip per exchange)
    this.replayMemory =
        store.sharedReplayMemory(clock).orElseGet(() -> ReplayGuard.inMemory(clock));
    this.replayPurge =
        replayMemory instanceof ReplayGuard
            ? Optional.empty()
            : Optional.of(new ReplayPurge(replayMemory));
    this.usage = new UsageCounter(store.usage(), USAGE_PENDING_KEYS);
    this.meter = new GatewayMeter(directory, usage, clock, config.clusterNodes());
    this.upstream =
        config.upstream().target().isPresent()
            ? Optional.of(
                new UpstreamProxy(
                    config.upstream(), errors, upstreamTimer(metrics.upstreamTimer())))
            : Optional.empty();
    UsageFlusher startedFlusher = null;
    // refusals made before authentication are counted per address, reason and minute, not stored
    // one row each; the admin API and dashboard flush the counts before listing
    AggregatingAuditSink exchangeAudit =
        new AggregatingAuditSink(store.auditSink(), clock, COUNTED_AUDIT_KEYS);
    AuditMaintenance startedMaintenance = null;
    try {
      startedMaintenance =
          new AuditMaintenance(exchangeAudit, store.auditLog(), config.auditRetention(), clock)
              .start();
      this.auditMaintenance = startedMaintenance;
      startedFlusher = new UsageFlusher(usage);
      this.usageFlusher = startedFlusher;
      directory.federationChanged();
      SigningKeys signingKeys =
          new SigningKeys(signingKeyRepository, clock, new SigningKeyLifecycle(config.tokenTtl()));
      this.readiness =
          new Readiness(
              store,
              directory,
              signingKeys,
              // shared database: every key that signs was published this long before it did
              store.changeChannel().isPresent()
                  ? SigningKeyRotation.publishAhead(config.syncInterval(), true)
                  : config.maxSnapshotAge(),
              upstreamCredentialCheck(config, clock));
      metrics.snapshotAge(directory::snapshotAge);
      if (store.auditSink() instanceof FlushableAuditSink queue) {
        metrics.auditQueue(queue::status);
      }
      startedSync =
          new FederationSync(directory, signingKeys, config.syncInterval(), store.changeChannel());
      this.sync = startedSync;
      if (config.signingKeyRotation().isPresent()) {
        startedRotation =
            new ScheduledKeyRotation(
                // each rotation and its audit row commit together, like every admin change
                SigningKeyAdmin.forStore(
                    store, config.masterKey(), config.tokenTtl(), writeLock, audit, clock),
                signingKeys,
                config.signingKeyRotation().get(),
                SigningKeyRotation.publishAhead(
                    config.syncInterval(), store.changeChannel().isPresent()),
                startedSync::signingKeysChanged);
      }
      this.keyRotation = Optional.ofNullable(startedRotation);
      sync.addListener(meter);
      AccessTokenProfile profile =
          new AccessTokenProfile(publicUrl, publicUrl + "/v1", config.tokenTtl());
      // resource servers: created through the admin API, authenticating POST /oauth/introspect
      ResourceServerAdmin resourceServers =
          new ResourceServerAdmin(
              store.resourceServers(), writeLock, audit, clock, ids, new SecureRandom());
      AdminUseCases useCases = adminUseCases(config, store, writeLock, audit, clock, ids);
      // explain (admin API) and the dashboard's token debugger run the exchange's own checks on
      // the same snapshot, minting nothing
      ExchangeExplainer explainer =
          new ExchangeExplainer(
              directory, new SubjectTokenVerifier(clock), new RuleMatcher(), clock, profile);
      // one budget of failed admin-key attempts per client address, admin API and dashboard
      AdminAuthThrottle authThrottle =
          new AdminAuthThrottle(config.rateLimits().adminAuthFailuresPerMinute(), clock);
      this.admin =
          adminApi(
              config,
              store,
              clock,
              useCases,
              authThrottle,
              outbound,
              resourceServers,
              exchangeAudit,
              explainer,
              ids);
      this.dashboard =
          new Dashboard(
              adminKeys,
              useCases.projects(),
              useCases.accounts(),
              useCases.providers(),
              useCases.rules(),
              store.auditLog(),
              exchangeAudit::flush,
              new TokenDebugger(explainer, directory, store.auditSink(), ids, clock, json),
              authThrottle,
              config.trustedProxies(),
              outbound::configurationRefusalReason,
              DashboardSettings.forPublicUrl(publicUrl),
              clock,
              json);
      this.sts =
          stsRoutes(config, clock, ids, signingKeys, profile, resourceServers, exchangeAudit);
      this.gateway =
          new GatewayRoutes(
              json,
              errors,
              new AccessTokenVerifier(
                  signingKeys, clock, profile.issuer(), profile.audience(), VERIFIED_TOKEN_CACHE),
              directory,
              ids,
              clock,
              upstream,
              meter,
              new BearerFailureLimit(
                  config.rateLimits().bearerFailuresPerAddressPerSecond(),
                  config.rateLimits().bearerFailureBurstPerAddress(),
                  clock),
              config.trustedProxies());
    } catch (RuntimeException e) {
      if (startedSync != null) {
        startedSync.close(); // its thread is running already
      }
      if (startedRotation != null) {
        startedRotation.close();
      }
      if (startedFlusher != null) {
        startedFlusher.close();
      }
      if (startedMaintenance != null) {
        startedMaintenance.close();
      }
      directory.close();
      issuerFetches.close();
      upstream.ifPresent(UpstreamProxy::close);
      replayPurge.ifPresent(ReplayPurge::close);
      metrics.close();
      throw e;
    }
  }

  /**
   * Mounts every route. {@code ready} is false until the listener is bound; {@code /healthz}
   * answers 503 until then.
   */
  HttpRouting.Builder routing(BooleanSupplier ready) {
    HttpRouting.Builder routing = HttpRouting.builder();
    // first: every request's id, in the logging context while it is handled
    routing.addFilter(new RequestIds());
    // every route goes through the table, which the 404/405 fallback answers from; each route
    // reports its answers to the metrics and the access log
    RouteTable table = new RouteTable(routing, metrics.http());
    table.get(
        "/healthz",
        (req, res) ->
            res.status(ready.getAsBoolean() ? 200 : 503)
                .send(ready.getAsBoolean() ? "ok" : "starting"));
    table.get("/readyz", new ReadinessEndpoint(readiness, ready, json));
    if (metricsOnMainListener) {
      table.get("/metrics", new MetricsEndpoint(metrics));
    }
    table.get(OpenApiEndpoint.PATH, new OpenApiEndpoint());
    routing.error(
        BoundedBody.TooLarge.class, (req, res, e) -> errors.payloadTooLarge(res, e.limit()));
    UnmatchedRoutes unmatched = new UnmatchedRoutes(errors, table);
    // first: the routing tries routes in order, and the token endpoint is the hot path (its paths,
    // /oauth/* and /.well-known/*, overlap no other route)
    sts.register(table);
    // under /v1/organization the admin API answers 404/405 itself, once the caller is authenticated
    admin.register(table, unmatched::answer);
    dashboard.register(table);
    // after the admin API, so that /v1/organization stays with it
    gateway.register(table);
    // last: JSON 404/405 for what no route took
    unmatched.register(routing);
    this.routes = table.routes();
    // an admin change or a debugger run whose audit event the full queue refused (the database
    // stalls): 503 at once, a throttled warning, no stack trace per request
    routing.error(
        AuditUnavailableException.class,
        unavailable(
            auditWarnings,
            "its audit event was refused",
            "The server cannot record this request in its audit log right now; retry later."));
    // a write the database could not take in time (stalled, restarting): nothing changed, 503
    routing.error(
        StoreUnavailableException.class,
        unavailable(
            storeWarnings,
            "the database is unavailable",
            "The database did not answer in time; retry later. A change was most likely not"
                + " applied; if the connection dropped while it was being committed it may have"
                + " been: check before repeating a creation."));
    routing.error(
        Exception.class,
        (req, res, e) -> {
          LOG.error(
              "unhandled error on {} {}", req.prologue().method().text(), req.path().path(), e);
          if (!res.isSent()) {
            errors.internalError(res);
          }
        });
    return routing;
  }

  /** The routing of the metrics listener ({@code --metrics-address}): {@code /metrics} only. */
  HttpRouting.Builder metricsRouting() {
    HttpRouting.Builder routing = HttpRouting.builder();
    routing.get("/metrics", new MetricsEndpoint(metrics));
    return routing;
  }

  /**
   * When each enabled discovery provider's keys were last fetched (providers never fetched yet are
   * absent), for the key-age gauge.
   */
  private Map<String, Instant> issuerKeyFetchTimes() {
    Map<String, Instant> times = new HashMap<>();
    for (ProviderState state : directory.snapshot().providers().values()) {
      if (state instanceof ProviderState.Active active
          && active.keys() instanceof DiscoveryKeySource source) {
        source.lastSuccessfulFetch().ifPresent(at -> times.put(active.provider().id(), at));
      }
    }
    return times;
  }

  private static dev.openwif.server.gateway.UpstreamTiming upstreamTimer(
      io.micrometer.core.instrument.Timer timer) {
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The routes the last {@link #routing} registered (empty before). */
  List<RouteTable.Route> routes() {
    return routes;
  }

  /** The admin use cases, shared by the JSON admin API and the dashboard. */
  private record AdminUseCases(
      ProjectAdmin projects,
      ServiceAccountAdmin accounts,
      ProviderAdmin providers,
      RuleAdmin rules) {}

  private AdminUseCases adminUseCases(
      ServerConfig config,
      FederationStore store,
      AdminWriteLock writeLock,
      AdminAudit audit,
      Clock clock,
      IdGenerator ids) {
    return new AdminUseCases(
        new ProjectAdmin(store.projects(), writeLock, audit, sync, clock, ids),
        new ServiceAccountAdmin(store, writeLock, audit, sync, clock, ids),
        new ProviderAdmin(
            store,
            writeLock,
            new ProviderValidator(config.dev(), CompiledTransformations::firstError),
            audit,
            sync,
            clock,
            ids),
        new RuleAdmin(store, writeLock, audit, sync, clock, ids));
  }

  /**
   * A 503 with {@code Retry-After: 1} for a request the database could not serve in time, and a
   * warning naming why, at most one per {@code warnings} interval (with how many were held back).
   */
  private <T extends Throwable> io.helidon.webserver.http.ErrorHandler<T> unavailable(
      WarningThrottle warnings, String why, String description) {
    return (req, res, e) -> {
      long held = warnings.admit();
      if (held >= 0) {
        LOG.warn(
            "{} {} answered 503, {}: {} ({} more since the last warning)",
            req.prologue().method().text(),
            req.path().path(),
            why,
            e.getMessage(),
            held);
      }
      if (!res.isSent()) {
        res.header("Retry-After", "1");
        errors.write(res, 503, "server_error", description, Optional.empty(), Optional.empty());
      }
    };
  }

  private AdminApi adminApi(
      ServerConfig config,
      FederationStore store,
      Clock clock,
      AdminUseCases useCases,
      AdminAuthThrottle authThrottle,
      OutboundUrlGuard outbound,
      ResourceServerAdmin resourceServers,
      AggregatingAuditSink exchangeAudit,
      ExchangeExplainer explainer,
      IdGenerator ids) {
    return new AdminApi(
        json,
        errors,
        adminKeys,
        useCases.projects(),
        useCases.accounts(),
        useCases.providers(),
        useCases.rules(),
        resourceServers,
        store.auditLog(),
        exchangeAudit::flush,
        authThrottle,
        config.trustedProxies(),
        outbound::configurationRefusalReason,
        store.usage(),
        usageFlusher::flushNow,
        clock,
        () ->
            store.auditSink() instanceof FlushableAuditSink queue
                ? Optional.of(queue.status())
                : Optional.empty(),
        // what the serve command installed before this was built (NativeCrypto.install)
        NativeCrypto::current,
        explainer,
        store.auditSink(),
        ids);
  }

  private StsRoutes stsRoutes(
      ServerConfig config,
      Clock clock,
      IdGenerator ids,
      SigningKeys signingKeys,
      AccessTokenProfile profile,
      ResourceServerAdmin resourceServers,
      AggregatingAuditSink exchangeAudit) {
    RateLimits limits = config.rateLimits();
    ExchangeRateLimiter exchangeLimits =
        new ExchangeRateLimiter(
            limits.exchangesPerAddressPerSecond(),
            limits.exchangeBurstPerAddress(),
            limits.exchangesPerProviderPerSecond(),
            limits.exchangeBurstPerProvider(),
            limits.exchangeFailuresPerProviderPerSecond(),
            limits.exchangeFailureBurstPerProvider(),
            clock);
    // the provider's budget is spent after the subject token's checks (see ExchangeRateLimiter)
    TokenExchange exchange =
        new TokenExchange(
            directory,
            new SubjectTokenVerifier(clock),
            new RuleMatcher(),
            new AccessTokenMinter(signingKeys, clock),
            exchangeAudit,
            ids,
            clock,
            profile,
            exchangeLimits,
            replayMemory);
    return new StsRoutes(
        new TokenEndpoint(
            exchange,
            new EarlyRefusals(exchangeAudit, ids, clock),
            exchangeLimits,
            AdmissionControl.forThisMachine(),
            directory,
            config.trustedProxies(),
            json,
            metrics.exchanges()),
        new DiscoveryEndpoints(json, profile.issuer(), signingKeys::publicJwksJson),
        new IntrospectionEndpoint(
            (clientId, secret) ->
                resourceServers.authenticate(clientId, secret).map(server -> server.id()),
            new ClientAuthThrottle(limits.adminAuthFailuresPerMinute(), clock),
            config.trustedProxies(),
            new AccessTokenVerifier(
                signingKeys, clock, profile.issuer(), profile.audience(), VERIFIED_TOKEN_CACHE),
            directory,
            json));
  }

  /**
   * With an upstream token obtained by workload identity: {@code /readyz} reports whether it is
   * fresh (not required: without it the gateway answers 502, but the token endpoint and the admin
   * API still work, and the node must stay in its load balancer for them), and {@code /metrics}
   * shows it.
   */
  private List<Supplier<Check>> upstreamCredentialCheck(ServerConfig config, Clock clock) {
    if (!(config.upstream().apiKey() instanceof UpstreamCredential credential)) {
      return List.of();
    }
    metrics.upstreamCredential(
        () -> credential.state().freshAt(clock.instant()),
        () -> credential.state().secondsLeftAt(clock.instant()));
    return List.of(
        () -> {
          UpstreamCredentialState state = credential.state();
          Instant now = clock.instant();
          return new Check(
              "upstream_credential",
              state.freshAt(now),
              false,
              credential.description() + ": " + state.describeAt(now));
        });
  }

  /**
   * Where signing keys are kept: encrypted at rest under the master key when one is configured.
   * Rows stored in plain text before the master key was set are encrypted now (logged by count).
   */
  private static SigningKeyRepository signingKeyRepository(
      ServerConfig config, FederationStore store) {
    if (config.masterKey().isEmpty()) {
      if (!config.dev()) {
        LOG.warn(
            "signing keys are stored unencrypted in the database; set WIF_MASTER_KEY to encrypt them at rest");
      }
      return store.signingKeys();
    }
    EncryptedSigningKeyRepository sealed =
        new EncryptedSigningKeyRepository(
            store.signingKeys(), config.masterKey().get(), new SecureRandom());
    int encrypted = sealed.encryptPlaintextRows();
    if (encrypted > 0) {
      LOG.info(
          "encrypted {} signing key(s) stored in plain text before WIF_MASTER_KEY was set",
          encrypted);
    }
    return sealed;
  }

  /** Keys still stored in plain text although a master key is set (none once re-encrypted). */
  private static long unencryptedSigningKeys(FederationStore store) {
    return store.signingKeys().listAll().stream()
        .filter(key -> !key.privateJwkJson().isEmpty())
        .filter(key -> !EncryptedSigningKeyRepository.isEncrypted(key.privateJwkJson()))
        .count();
  }

  /**
   * How long ago the federation snapshot in force was read from the store; past {@link
   * ServerConfig#maxSnapshotAge()} the node refuses exchanges and {@code /v1} calls.
   */
  Duration federationSnapshotAge() {
    return directory.snapshotAge();
  }

  /** Adds a listener told after every committed federation change. */
  void addChangeListener(FederationChangeListener listener) {
    sync.addListener(listener);
  }

  /**
   * Stops the re-sync thread and the key sources' background refreshes, ends the upstream calls,
   * writes the usage counts still pending and hands the counted audit refusals to the store.
   */
  @Override
  public void close() {
    try {
      keyRotation.ifPresent(ScheduledKeyRotation::close);
      replayPurge.ifPresent(ReplayPurge::close);
      sync.close();
    } finally {
      try {
        directory.close();
        issuerFetches.close();
      } finally {
        try {
          upstream.ifPresent(UpstreamProxy::close);
        } finally {
          try {
            usageFlusher.close(); // after the proxy: the calls it ended are counted
          } finally {
            try {
              auditMaintenance
                  .close(); // stores the refusals still counted, before the store closes
            } finally {
              metrics.close();
            }
          }
        }
      }
    }
  }
}
