package dev.openwif.server;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.openwif.attribute.CompiledTransformations;
import dev.openwif.exchange.AccessTokenProfile;
import dev.openwif.exchange.InMemoryFederationDirectory;
import dev.openwif.federation.AdminAudit;
import dev.openwif.federation.AdminKeys;
import dev.openwif.federation.AdminWriteLock;
import dev.openwif.federation.FederationChangeListener;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.ProjectAdmin;
import dev.openwif.federation.ProviderAdmin;
import dev.openwif.federation.ProviderValidator;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.RuleAdmin;
import dev.openwif.federation.ServiceAccountAdmin;
import dev.openwif.oidc.DiscoverySettings;
import dev.openwif.oidc.KeySources;
import dev.openwif.server.admin.AdminApi;
import dev.openwif.server.admin.AdminAuthThrottle;
import dev.openwif.server.gateway.GatewayRoutes;
import dev.openwif.server.http.BoundedBody;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.server.infra.HttpJwksFetcher;
import dev.openwif.server.infra.OutboundUrlGuard;
import dev.openwif.server.sts.ExchangeRateLimiter;
import dev.openwif.server.sts.StsRoutes;
import dev.openwif.store.FlushableAuditSink;
import dev.openwif.token.EncryptedSigningKeyRepository;
import dev.openwif.token.SigningKeyRepository;
import dev.openwif.token.SigningKeys;
import io.helidon.webserver.http.HttpRouting;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the one place the server's objects are made and wired, by hand, with
 * constructor injection. {@link WifServer} makes one per server and closes it on shutdown.
 *
 * <p>Inputs every part may use: {@link #config}, {@link #store}, {@link #clock}, {@link #ids},
 * {@link #publicUrl} (valid once the listener is bound, before any request is served) and {@link
 * #federationChanged}, the hook the admin use cases call after every committed change.
 */
final class Main implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /**
   * How often the exchange's snapshot and the signing keys are re-read from the store, whatever the
   * admin API did: changes written by another node sharing the database, or a rebuild that failed
   * after a committed change, are in force at most this long later.
   */
  static final long RESYNC_INTERVAL_SECONDS = 5;

  final ServerConfig config;
  final FederationStore store;
  final Clock clock;
  final IdGenerator ids = new RandomIdGenerator();
  final Supplier<String> publicUrl;
  final ObjectMapper json =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  final OpenAiErrorWriter errors = new OpenAiErrorWriter(json);
  final AdminKeys adminKeys;

  /** Listeners told after every committed federation change (the exchange's in-memory snapshot). */
  private final List<FederationChangeListener> changeListeners = new CopyOnWriteArrayList<>();

  /** What the admin use cases call after a committed change: tells every registered listener. */
  final FederationChangeListener federationChanged = this::notifyChangeListeners;

  /**
   * Background work to stop on shutdown (JWKS refreshers, audit writers), closed in reverse order.
   */
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /**
   * One daemon thread: the periodic re-sync, and the immediate retry of a failed change listener.
   */
  private final ScheduledExecutorService resync =
      Executors.newSingleThreadScheduledExecutor(
          task -> Thread.ofPlatform().daemon().name("openwif-federation-resync").unstarted(task));

  Main(ServerConfig config, FederationStore store, Clock clock, Supplier<String> publicUrl) {
    this.config = Objects.requireNonNull(config, "config");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
    this.adminKeys = new AdminKeys(store.adminKeys(), clock, ids, new SecureRandom());
  }

  /**
   * Builds every route. {@code ready} is false until the listener is bound and the public URL
   * known.
   */
  HttpRouting.Builder routing(BooleanSupplier ready) {
    HttpRouting.Builder routing = HttpRouting.builder();
    routing.get(
        "/healthz",
        (req, res) ->
            res.status(ready.getAsBoolean() ? 200 : 503)
                .send(ready.getAsBoolean() ? "ok" : "starting"));
    routing.error(
        BoundedBody.TooLarge.class, (req, res, e) -> errors.payloadTooLarge(res, e.limit()));

    // ---- admin API (/v1/organization/...): this file's owner ----
    registerAdmin(routing);

    // ---- sts (POST /oauth/token, /.well-known/openid-configuration, JWKS) and gateway (/v1): ----
    // registered by the exchange side. Build the in-memory snapshot here from `store`, add it with
    // addChangeListener(snapshot) so admin writes refresh it, and register anything that runs in
    // the
    // background with closeOnShutdown(...). Use `publicUrl.get()` (per request or lazily) as the
    // issuer.
    // Register /v1 gateway routes AFTER registerAdmin so /v1/organization stays with the admin API.
    HttpJwksFetcher jwksFetcher = new HttpJwksFetcher(new OutboundUrlGuard(config.dev()));
    InMemoryFederationDirectory directory =
        new InMemoryFederationDirectory(
            store.providers(),
            store.rules(),
            store.serviceAccounts(),
            store.projects(),
            provider ->
                KeySources.forProvider(provider, jwksFetcher, clock, DiscoverySettings.defaults()));
    directory.federationChanged();
    addChangeListener(directory);
    closeOnShutdown(directory);
    SigningKeys signingKeys = new SigningKeys(signingKeyRepository(), clock);
    Supplier<AccessTokenProfile> tokenProfile =
        () -> new AccessTokenProfile(publicUrl.get(), publicUrl.get() + "/v1", config.tokenTtl());
    resync.scheduleWithFixedDelay(
        () -> resync(directory, signingKeys),
        RESYNC_INTERVAL_SECONDS,
        RESYNC_INTERVAL_SECONDS,
        TimeUnit.SECONDS);
    closeOnShutdown(resync::shutdownNow);
    RateLimits limits = config.rateLimits();
    ExchangeRateLimiter exchangeLimits =
        new ExchangeRateLimiter(
            limits.exchangesPerAddressPerSecond(),
            limits.exchangeBurstPerAddress(),
            limits.exchangesPerProviderPerSecond(),
            limits.exchangeBurstPerProvider(),
            clock);
    new StsRoutes(
            json,
            directory,
            signingKeys,
            store.auditSink(),
            ids,
            clock,
            tokenProfile,
            exchangeLimits)
        .register(routing);
    new GatewayRoutes(json, errors, directory, signingKeys, ids, clock, tokenProfile)
        .register(routing);
    new UnmatchedRoutes(errors).register(routing); // last: JSON 404/405 for what no route took

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

  private void registerAdmin(HttpRouting.Builder routing) {
    AdminAudit audit = new AdminAudit(store.auditSink(), clock, ids);
    AdminWriteLock writeLock = new AdminWriteLock();
    new AdminApi(
            json,
            errors,
            adminKeys,
            new ProjectAdmin(store.projects(), audit, federationChanged, clock, ids),
            new ServiceAccountAdmin(store, audit, federationChanged, clock, ids),
            new ProviderAdmin(
                store,
                writeLock,
                new ProviderValidator(config.dev(), CompiledTransformations::firstError),
                audit,
                federationChanged,
                clock,
                ids),
            new RuleAdmin(store, writeLock, audit, federationChanged, clock, ids),
            store.auditLog(),
            this::flushAudit,
            new AdminAuthThrottle(config.rateLimits().adminAuthFailuresPerMinute(), clock),
            new OutboundUrlGuard(config.dev())::configurationRefusalReason)
        .register(routing);
  }

  /** Where signing keys are kept: encrypted at rest under the master key when one is configured. */
  private SigningKeyRepository signingKeyRepository() {
    if (config.masterKey().isEmpty()) {
      if (!config.dev()) {
        LOG.warn(
            "signing keys are stored unencrypted in the database; set WIF_MASTER_KEY to encrypt them at rest");
      }
      return store.signingKeys();
    }
    return new EncryptedSigningKeyRepository(
        store.signingKeys(), config.masterKey().get(), new SecureRandom());
  }

  /** Waits until queued audit events are stored, so an audit query right after a change sees it. */
  private void flushAudit() {
    if (store.auditSink() instanceof FlushableAuditSink sink) {
      sink.flush();
    }
  }

  /** Adds a listener told after every committed federation change. */
  void addChangeListener(FederationChangeListener listener) {
    changeListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Registers background work to close when the server stops. */
  void closeOnShutdown(AutoCloseable closeable) {
    closeables.add(Objects.requireNonNull(closeable, "closeable"));
  }

  private void notifyChangeListeners() {
    for (FederationChangeListener listener : changeListeners) {
      try {
        listener.federationChanged();
      } catch (RuntimeException e) {
        // The change is committed; a listener failing must not turn the admin call into an error.
        LOG.error(
            "federation change listener failed; retrying now, then every {} s",
            RESYNC_INTERVAL_SECONDS,
            e);
        retrySoon(listener);
      }
    }
  }

  /**
   * Tells the listener again on the re-sync thread; the periodic re-sync covers a second failure.
   */
  private void retrySoon(FederationChangeListener listener) {
    try {
      resync.execute(
          () -> {
            try {
              listener.federationChanged();
            } catch (RuntimeException e) {
              LOG.warn("federation change listener failed again: {}", e.toString());
            }
          });
    } catch (RejectedExecutionException shuttingDown) {
      LOG.debug("server stopping; federation change listener not retried");
    }
  }

  /**
   * Re-reads the federation configuration and the signing keys. A failure keeps what was loaded
   * before and is logged by exception type and message only (no key material); the next tick tries
   * again. Never throws, so the schedule keeps running.
   */
  private static void resync(InMemoryFederationDirectory directory, SigningKeys signingKeys) {
    try {
      directory.federationChanged();
    } catch (RuntimeException e) {
      LOG.warn(
          "federation re-sync failed; the previous snapshot stays in force until the next try: {}",
          e.toString());
    }
    try {
      signingKeys.reload();
    } catch (RuntimeException e) {
      LOG.warn(
          "signing key re-load failed; the loaded keys stay in use: {}", e.getClass().getName());
    }
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        LOG.warn("error while closing {}", closeables.get(i), e);
      }
    }
  }
}
