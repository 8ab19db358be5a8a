package dev.openwif.cli.demo;

import dev.openwif.emulator.EmulatorSigningKey;
import dev.openwif.emulator.gce.GceMetadataEmulator;
import dev.openwif.emulator.gke.GkeIssuerEmulator;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Everything the demo runs in this process, each on 127.0.0.1 and a free port: the OpenWIF server
 * (dev mode) on a SQLite database in a fresh temporary directory, an emulated Google metadata
 * server and an emulated GKE cluster issuer writing its projected token into the same directory.
 * The issuers are the emulators' own base URLs. {@link #close()} (or a JVM shutdown, e.g. Ctrl-C)
 * stops them and deletes the directory with the database; closing is idempotent and thread-safe.
 */
final class DemoStack implements AutoCloseable {
  static final String AUDIENCE = "https://api.openai.com/v1";

  private final Path dir;
  private final String adminKey;
  private final EmulatorSigningKey clusterKey;
  private final WifServer server;
  private final GceMetadataEmulator metadata;
  private final GkeIssuerEmulator cluster;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Cleans up when the JVM stops mid-demo (Ctrl-C), so the database never outlives the run. */
  private final Thread onInterrupt = new Thread(this::stopAll, "wif-demo-cleanup");

  private DemoStack(
      Path dir,
      String adminKey,
      EmulatorSigningKey clusterKey,
      WifServer server,
      GceMetadataEmulator metadata,
      GkeIssuerEmulator cluster) {
    this.dir = dir;
    this.adminKey = adminKey;
    this.clusterKey = clusterKey;
    this.server = server;
    this.metadata = metadata;
    this.cluster = cluster;
  }

  /**
   * What may differ from the guide's settings (tests use a short lifetime to watch rotations).
   *
   * @param accessTokenTtl lifetime of the access tokens the server mints (guide: 3600 s)
   * @param gkeExpiration lifetime of the projected GKE token, rewritten at 80 % (guide: 3600 s)
   * @param emulatorClock the clock both emulators stamp {@code iat}/{@code exp} with
   */
  record Options(Duration accessTokenTtl, Duration gkeExpiration, Clock emulatorClock) {
    Options {
      Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
      Objects.requireNonNull(gkeExpiration, "gkeExpiration");
      Objects.requireNonNull(emulatorClock, "emulatorClock");
    }

    static Options guide() {
      return new Options(ServerConfig.DEFAULT_TOKEN_TTL, Duration.ofHours(1), Clock.systemUTC());
    }
  }

  /** Starts the three servers with the guide's settings. */
  static DemoStack start(SecureRandom random) {
    return start(random, Options.guide());
  }

  /** Starts the three servers; on any failure stops what was started and removes the directory. */
  static DemoStack start(SecureRandom random, Options options) {
    Path dir;
    try {
      dir = Files.createTempDirectory("wif-demo");
    } catch (IOException e) {
      throw new DemoFailure(
          "cannot create a temporary directory for the demo database: " + e.getMessage(), e);
    }
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    String adminKey = "sk-admin-demo-" + HexFormat.of().formatHex(secret);
    EmulatorSigningKey clusterKey =
        EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.BASE64URL_SHA256);
    WifServer server = null;
    GceMetadataEmulator metadata = null;
    GkeIssuerEmulator cluster = null;
    try {
      server =
          WifServer.start(
              ServerConfig.defaults()
                  .withHost("127.0.0.1")
                  .withPort(0)
                  .withDbSpec(dir.resolve("openwif-demo.db").toString())
                  .withDev(true)
                  .withTokenTtl(options.accessTokenTtl())
                  .withBootstrapAdminKey(adminKey));
      metadata =
          GceMetadataEmulator.builder()
              .host("127.0.0.1")
              .port(0)
              .clock(options.emulatorClock())
              .start();
      cluster =
          GkeIssuerEmulator.builder()
              .host("127.0.0.1")
              .port(0)
              .signingKey(clusterKey)
              .clock(options.emulatorClock())
              .expiration(options.gkeExpiration())
              .audience(AUDIENCE)
              .tokenFile(dir.resolve("token"))
              .start();
      DemoStack stack = new DemoStack(dir, adminKey, clusterKey, server, metadata, cluster);
      Runtime.getRuntime().addShutdownHook(stack.onInterrupt);
      return stack;
    } catch (RuntimeException e) {
      stopAll(cluster, metadata, server, dir);
      throw e;
    }
  }

  WifServer server() {
    return server;
  }

  GceMetadataEmulator metadata() {
    return metadata;
  }

  GkeIssuerEmulator cluster() {
    return cluster;
  }

  /** The cluster's signing key, to mint a token for another pod of the same cluster. */
  EmulatorSigningKey clusterKey() {
    return clusterKey;
  }

  /** The admin key made for this run only; never printed. */
  String adminKey() {
    return adminKey;
  }

  /** The temporary directory (database and token files), removed by {@link #close()}. */
  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // already shutting down (the hook runs or has run), or the hook was never registered
    }
    stopAll();
  }

  private void stopAll() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopAll(cluster, metadata, server, dir);
  }

  /** Stops what was started, in reverse order, and removes the directory. */
  private static void stopAll(
      @Nullable GkeIssuerEmulator cluster,
      @Nullable GceMetadataEmulator metadata,
      @Nullable WifServer server,
      Path dir) {
    if (cluster != null) {
      cluster.close();
    }
    if (metadata != null) {
      metadata.close();
    }
    if (server != null) {
      server.close();
    }
    deleteRecursively(dir);
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the demo directory " + root, e);
    }
  }
}
