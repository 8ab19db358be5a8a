package dev.openwif.server;

import dev.openwif.federation.FederationStore;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.server.http.ConnectionGuard;
import dev.openwif.server.http.ConnectionLimits;
import dev.openwif.server.http.RouteTable;
import dev.openwif.server.tls.ServerTls;
import dev.openwif.server.tls.TlsCredentials;
import dev.openwif.server.tls.TlsFileWatcher;
import dev.openwif.store.Stores;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running OpenWIF server: Helidon SE WebServer on {@link ServerConfig#host()}:{@link
 * ServerConfig#port()} with every route wired by {@link Main}. {@code /healthz} answers 200 once
 * the server is ready. With {@link ServerConfig#tls()} it serves HTTPS only, and a change of the
 * certificate files takes effect on the running listener ({@link TlsFileWatcher}). Thread-safe;
 * {@link #close()} stops the listener, background work and (when the server opened it) the store.
 */
public final class WifServer implements AutoCloseable {
  private final WebServer web;
  private final Optional<WebServer> metricsListener;
  private final ConnectionGuard connectionGuard;
  private final Optional<TlsFileWatcher> tls;
  private final Main main;
  private final FederationStore store;
  private final boolean ownsStore;
  private final String baseUrl;
  private final Optional<String> generatedAdminKey;
  private final AtomicBoolean closed = new AtomicBoolean();

  private WifServer(
      WebServer web,
      Optional<WebServer> metricsListener,
      ConnectionGuard connectionGuard,
      Optional<TlsFileWatcher> tls,
      Main main,
      FederationStore store,
      boolean ownsStore,
      String baseUrl,
      Optional<String> key) {
    this.web = web;
    this.metricsListener = metricsListener;
    this.connectionGuard = connectionGuard;
    this.tls = tls;
    this.main = main;
    this.store = store;
    this.ownsStore = ownsStore;
    this.baseUrl = baseUrl;
    this.generatedAdminKey = key;
  }

  /**
   * Opens the store named by {@link ServerConfig#dbSpec()} (migrating it), then starts the server,
   * which owns the store and closes it on {@link #close()}.
   *
   * @throws IllegalArgumentException when the database cannot be opened (message names the problem)
   * @throws IllegalStateException when the port cannot be bound (the store is closed again)
   */
  public static WifServer start(ServerConfig config) {
    FederationStore store = Stores.open(config.dbSpec());
    try {
      return start(config, store, Clock.systemUTC(), true);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Starts a server on an already open store, which the caller keeps owning (and closes after this
   * server). On a database without admin keys, creates the first one (see {@link
   * #generatedAdminKey()}).
   */
  public static WifServer start(ServerConfig config, FederationStore store, Clock clock) {
    return start(config, store, clock, false);
  }

  static WifServer start(
      ServerConfig config, FederationStore store, Clock clock, boolean ownsStore) {
    Objects.requireNonNull(config, "config");
    // Port 0: the port chosen before binding can be taken by another process in between; choose
    // again rather than fail a request for "any free port".
    int attempts = config.port() == 0 ? 3 : 1;
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(config, store, clock, ownsStore);
      } catch (PortTaken e) {
        if (attempt >= attempts) {
          throw e;
        }
      }
    }
  }

  private static WifServer startOnce(
      ServerConfig config, FederationStore store, Clock clock, boolean ownsStore) {
    // Read before anything starts: a bad file is one clear error, not a half-started server.
    Optional<TlsFileWatcher> tls = config.tls().map(TlsFileWatcher::load);
    int port = choosePort(config);
    AtomicBoolean ready = new AtomicBoolean();
    String publicUrl = config.effectivePublicUrl(port);
    Main main = new Main(config, store, clock, publicUrl);
    ConnectionLimits limits = config.connectionLimits();
    ConnectionGuard guard = new ConnectionGuard(limits, Http1Config.create());
    WebServer web;
    try {
      var builder = WebServer.builder();
      tls.ifPresent(watcher -> builder.tls(ServerTls.of(watcher.credentials())));
      web =
          builder
              .host(config.host())
              .port(port)
              .shutdownHook(false)
              // HTTP/1.1 only, through the guard: it must be the only connection selector, so
              // that it sees every connection from its first byte (see ConnectionGuard)
              .protocolsDiscoverServices(false)
              .protocols(List.of())
              .addConnectionSelector(guard)
              .maxConcurrentRequests(limits.maxConcurrentRequests())
              .idleConnectionTimeout(limits.idleTimeout())
              .idleConnectionPeriod(idleCheckPeriod(limits.idleTimeout()))
              .connectionOptions(socket -> socket.readTimeout(limits.idleTimeout()))
              .routing(main.routing(ready::get))
              .build()
              .start();
    } catch (RuntimeException e) {
      guard.close();
      main.close();
      throw e;
    }
    try {
      if (!web.isRunning() || web.port() != port) {
        // Helidon logs the bind failure and returns a stopped server instead of throwing.
        throw new PortTaken(
            "cannot listen on " + config.host() + ":" + port + " (is the port already in use?)");
      }
      // Only once the listener is bound: a start that fails before must not use up the one
      // chance to show a generated key.
      Optional<WebServer> metrics = startMetricsListener(config, main);
      Optional<String> generated;
      try {
        generated = bootstrapAdminKey(config, main.adminKeys);
      } catch (RuntimeException e) {
        metrics.ifPresent(WebServer::stop);
        throw e;
      }
      WebServer running = web;
      tls.ifPresent(
          watcher ->
              watcher.watch(
                  credentials -> running.reloadTls(ServerTls.of(credentials)), TLS_CHECK_PERIOD));
      ready.set(true);
      return new WifServer(web, metrics, guard, tls, main, store, ownsStore, publicUrl, generated);
    } catch (RuntimeException e) {
      if (web.isRunning()) {
        web.stop();
      }
      tls.ifPresent(TlsFileWatcher::close);
      guard.close();
      main.close();
      throw e;
    }
  }

  /** How often the TLS files are read to see whether they changed. */
  static final Duration TLS_CHECK_PERIOD = Duration.ofSeconds(1);

  /**
   * The listener of {@code /metrics} alone when {@code --metrics-address} is set (then the main
   * listener does not serve it).
   *
   * @throws IllegalStateException when its address cannot be bound
   */
  private static Optional<WebServer> startMetricsListener(ServerConfig config, Main main) {
    if (config.metricsAddress().isEmpty()) {
      return Optional.empty();
    }
    MetricsAddress address = config.metricsAddress().get();
    WebServer metrics =
        WebServer.builder()
            .host(address.host())
            .port(address.port())
            .shutdownHook(false)
            .maxConcurrentRequests(16)
            .routing(main.metricsRouting())
            .build()
            .start();
    if (!metrics.isRunning()) {
      throw new IllegalStateException(
          "cannot listen on " + address + " for --metrics-address (is the port already in use?)");
    }
    return Optional.of(metrics);
  }

  /** How often idle connections are looked for: a quarter of the timeout, 250 ms to 5 s. */
  private static Duration idleCheckPeriod(Duration idleTimeout) {
    long millis = Math.max(250, Math.min(5_000, idleTimeout.toMillis() / 4));
    return Duration.ofMillis(millis);
  }

  /** The chosen port could not be bound after all. */
  private static final class PortTaken extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTaken(String message) {
      super(message);
    }
  }

  /**
   * The port to listen on, known before the routes are built (the public URL, and so the tokens'
   * issuer, contains it): the configured one after checking it is free, or for port 0 one the
   * system picks now. Fails fast with a one-line message when the port is taken: Helidon would log
   * a stack trace and return a stopped server. (Another process can still take the port before the
   * server binds it: the check after start catches that, and port 0 then chooses again.)
   */
  private static int choosePort(ServerConfig config) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(config.host(), config.port()));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getMessage()
              + " (is another server running? choose another --port)");
    }
  }

  private static Optional<String> bootstrapAdminKey(ServerConfig config, AdminKeys keys) {
    if (config.bootstrapAdminKey().isPresent()) {
      keys.bootstrapWith(config.bootstrapAdminKey().get());
      return Optional.empty();
    }
    return keys.bootstrapRandom().map(AdminKeys.Created::secret);
  }

  /** The bound port (the real one when the config asked for port 0). */
  public int port() {
    return web.port();
  }

  /**
   * The public URL: {@link ServerConfig#publicUrl()} or {@code http://host:port}; no trailing
   * slash.
   */
  public String baseUrl() {
    return baseUrl;
  }

  /** Every route the server registered, for tests that check the 404/405 fallback against it. */
  List<RouteTable.Route> routes() {
    return main.routes();
  }

  /**
   * How long ago the federation configuration in force was read from the store (for a readiness
   * check: past {@link ServerConfig#maxSnapshotAge()} exchanges answer 503 and {@code /v1} 401).
   */
  public java.time.Duration federationSnapshotAge() {
    return main.federationSnapshotAge();
  }

  /**
   * The certificate served, as {@link TlsCredentials#describe()} shows it (subject, serial,
   * expiry), when the server speaks HTTPS itself; empty for plain HTTP. Follows reloads.
   */
  public Optional<String> tlsCertificate() {
    return tls.map(watcher -> watcher.credentials().describe());
  }

  /** The port of the {@code --metrics-address} listener, when there is one. */
  public Optional<Integer> metricsPort() {
    return metricsListener.map(WebServer::port);
  }

  /** The listener's connection caps as they stand (open, refused and timed-out connections). */
  public ConnectionGuard connectionGuard() {
    return connectionGuard;
  }

  public FederationStore store() {
    return store;
  }

  /**
   * The first admin key's secret when this start created it at random (the database had no key and
   * no bootstrap key was configured): to be shown once to the operator, never logged.
   */
  public Optional<String> generatedAdminKey() {
    return generatedAdminKey;
  }

  /**
   * How many stored signing keys are not encrypted at rest although a master key is set (keys
   * stored before it was); 0 without a master key.
   */
  public long unencryptedSigningKeys() {
    return main.unencryptedSigningKeys;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      tls.ifPresent(TlsFileWatcher::close);
      metricsListener.ifPresent(WebServer::stop);
      web.stop();
    } finally {
      connectionGuard.close();
      main.close();
      if (ownsStore) {
        store.close();
      }
    }
  }
}
