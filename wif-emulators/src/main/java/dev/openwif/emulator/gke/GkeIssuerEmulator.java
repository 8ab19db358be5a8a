package dev.openwif.emulator.gke;

import dev.openwif.emulator.EmulatorBuilder;
import dev.openwif.emulator.EmulatorHttpServer;
import dev.openwif.emulator.EmulatorSigningKey;
import dev.openwif.emulator.IssuerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A running emulator of a GKE cluster's service account issuer, in-process: it serves the issuer's
 * discovery document and JWKS, and keeps a projected service account token file fresh as the
 * kubelet does (rewritten atomically at 80 % of the token's lifetime).
 *
 * <pre>{@code
 * try (GkeIssuerEmulator cluster = GkeIssuerEmulator.builder().expiration(Duration.ofSeconds(5)).start()) {
 *   String token = Files.readString(cluster.tokenFile());
 * }
 * }</pre>
 *
 * <p>The issuer is the emulator's own base URL unless {@link Builder#issuer(String)} sets another.
 * Without {@link Builder#tokenFile(Path)} the token is written in a temporary directory removed by
 * {@link #close()}. Thread-safe.
 */
public final class GkeIssuerEmulator implements AutoCloseable {
  private final EmulatorHttpServer server;
  private final EmulatorSigningKey key;
  private final ProjectedTokenSpec spec;
  private final ProjectedTokenMinter minter;
  private final String issuer;
  private final TokenRotation rotation;
  private final Optional<Path> ownedDirectory;

  private GkeIssuerEmulator(
      EmulatorHttpServer server,
      EmulatorSigningKey key,
      ProjectedTokenSpec spec,
      ProjectedTokenMinter minter,
      String issuer,
      TokenRotation rotation,
      Optional<Path> ownedDirectory) {
    this.server = server;
    this.key = key;
    this.spec = spec;
    this.minter = minter;
    this.issuer = issuer;
    this.rotation = rotation;
    this.ownedDirectory = ownedDirectory;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  public int port() {
    return server.port();
  }

  /**
   * The {@code iss} of every token, and the URL whose {@code /.well-known/openid-configuration} is
   * served.
   */
  public String issuer() {
    return issuer;
  }

  /** The public JWKS, as served at {@code /openid/v1/jwks}. */
  public String jwksJson() {
    return key.publicJwksJson();
  }

  /** The projected token file, always holding a valid token while the emulator runs. */
  public Path tokenFile() {
    return rotation.writerFile();
  }

  /** What the pod's projection asks for. */
  public ProjectedTokenSpec spec() {
    return spec;
  }

  /** The token currently in the file. */
  public ProjectedToken currentToken() {
    return rotation.current();
  }

  /** Writes a fresh token to the file now and restarts the 80 % timer; returns it. */
  public ProjectedToken rotateNow() {
    return rotation.rotateNow();
  }

  /**
   * A token for other audiences or lifetime, not written anywhere (a TokenRequest for the same
   * pod).
   */
  public ProjectedToken mint(List<String> audiences, Duration expiration) {
    return minter.mint(
        issuer,
        new ProjectedTokenSpec(
            spec.namespace(), spec.serviceAccountName(), spec.podName(), audiences, expiration));
  }

  /**
   * Stops the rotation and the HTTP server, and removes the token directory it created. Idempotent.
   */
  @Override
  public void close() {
    rotation.close();
    server.close();
    ownedDirectory.ifPresent(GkeIssuerEmulator::deleteTokenDirectory);
  }

  private static void deleteTokenDirectory(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the token directory " + dir, e);
    }
  }

  /** Configures an emulator; the defaults are the guide's: {@code default/openai-wif}, one hour. */
  public static final class Builder extends EmulatorBuilder<Builder> {
    private String namespace = "default";
    private String serviceAccount = "openai-wif";
    private String podName = "openai-wif-app";
    private List<String> audiences = List.of("https://api.openai.com/v1");
    private Duration expiration = Duration.ofHours(1);
    private Optional<Path> tokenFile = Optional.empty();

    private Builder() {
      super(EmulatorSigningKey.KidStyle.BASE64URL_SHA256);
    }

    @Override
    protected Builder self() {
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    public Builder serviceAccount(String serviceAccount) {
      this.serviceAccount = Objects.requireNonNull(serviceAccount, "serviceAccount");
      return this;
    }

    public Builder podName(String podName) {
      this.podName = Objects.requireNonNull(podName, "podName");
      return this;
    }

    /** The single audience of the projected token. */
    public Builder audience(String audience) {
      return audiences(List.of(Objects.requireNonNull(audience, "audience")));
    }

    public Builder audiences(List<String> audiences) {
      this.audiences = List.copyOf(audiences);
      return this;
    }

    /**
     * The token lifetime ({@code expirationSeconds}); at least 1 s here, although Kubernetes
     * requires 600 s.
     */
    public Builder expiration(Duration expiration) {
      this.expiration = Objects.requireNonNull(expiration, "expiration");
      return this;
    }

    /** Where to write the token; default a file in a fresh temporary directory. */
    public Builder tokenFile(Path tokenFile) {
      this.tokenFile = Optional.of(tokenFile);
      return this;
    }

    /**
     * Validates the settings, starts listening and writes the first token.
     *
     * @throws IllegalArgumentException for an invalid setting, naming it
     * @throws IllegalStateException when the port cannot be bound
     */
    public GkeIssuerEmulator start() {
      ProjectedTokenSpec spec =
          new ProjectedTokenSpec(namespace, serviceAccount, podName, audiences, expiration);
      EmulatorSigningKey key = resolveSigningKey();
      ProjectedTokenMinter minter = new ProjectedTokenMinter(key, clock());
      Optional<Path> ownedDirectory =
          tokenFile.isPresent() ? Optional.empty() : Optional.of(createTokenDirectory());
      Path file = tokenFile.orElseGet(() -> ownedDirectory.orElseThrow().resolve("token"));
      IssuerSettings.Started started =
          settings()
              .start(
                  live -> new GkeIssuerHandler(live::issuer, live::baseUrl, key.publicJwksJson()));
      TokenRotation rotation;
      try {
        rotation =
            TokenRotation.start(
                () -> minter.mint(started.issuer(), spec), new TokenFileWriter(file));
      } catch (RuntimeException e) {
        started.server().close();
        throw e;
      }
      return new GkeIssuerEmulator(
          started.server(), key, spec, minter, started.issuer(), rotation, ownedDirectory);
    }

    private static Path createTokenDirectory() {
      try {
        return Files.createTempDirectory("wif-gke-token");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory for the token file", e);
      }
    }
  }
}
