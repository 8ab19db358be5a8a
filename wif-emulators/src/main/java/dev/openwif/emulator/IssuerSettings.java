package dev.openwif.emulator;

import io.helidon.webserver.http.Handler;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The settings both emulators' builders share: where to listen, which {@code iss} to mint with, and
 * which key to sign with. Not thread-safe (a builder's state).
 */
public final class IssuerSettings {
  private final EmulatorSigningKey.KidStyle kidStyle;
  private String host = "127.0.0.1";
  private int port;
  private Optional<String> issuer = Optional.empty();
  private Optional<Path> keyFile = Optional.empty();
  private Optional<EmulatorSigningKey> signingKey = Optional.empty();

  public IssuerSettings(EmulatorSigningKey.KidStyle kidStyle) {
    this.kidStyle = Objects.requireNonNull(kidStyle, "kidStyle");
  }

  /** What a handler may read while the server runs: empty until the server has started. */
  public interface LiveIssuer {
    Optional<String> issuer();

    Optional<String> baseUrl();
  }

  /** A started server and the issuer it mints with. */
  public record Started(EmulatorHttpServer server, String issuer) {
    public Started {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(issuer, "issuer");
    }
  }

  public void host(String host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  public void port(int port) {
    this.port = port;
  }

  /** An explicit {@code iss}; without one the issuer is the server's base URL. */
  public void issuer(String issuer) {
    Objects.requireNonNull(issuer, "issuer");
    if (issuer.isBlank() || issuer.endsWith("/")) {
      throw new IllegalArgumentException(
          "issuer must be a URL without a trailing '/': '" + issuer + "'");
    }
    this.issuer = Optional.of(issuer);
  }

  public void keyFile(Path keyFile) {
    this.keyFile = Optional.of(Objects.requireNonNull(keyFile, "keyFile"));
  }

  public void signingKey(EmulatorSigningKey signingKey) {
    this.signingKey = Optional.of(Objects.requireNonNull(signingKey, "signingKey"));
  }

  /** The given key, else the key file's (created when absent), else a fresh key. */
  public EmulatorSigningKey resolveSigningKey() {
    return signingKey.orElseGet(
        () ->
            keyFile
                .map(file -> EmulatorSigningKey.loadOrCreate(file, kidStyle))
                .orElseGet(() -> EmulatorSigningKey.generate(kidStyle)));
  }

  /**
   * Starts the server with the handler made by {@code handlers}; the handler sees the issuer and
   * base URL as soon as the port is bound.
   */
  public Started start(Function<LiveIssuer, Handler> handlers) {
    AtomicReference<String> base = new AtomicReference<>();
    AtomicReference<String> effectiveIssuer = new AtomicReference<>(issuer.orElse(null));
    LiveIssuer live =
        new LiveIssuer() {
          @Override
          public Optional<String> issuer() {
            return Optional.ofNullable(effectiveIssuer.get());
          }

          @Override
          public Optional<String> baseUrl() {
            return Optional.ofNullable(base.get());
          }
        };
    EmulatorHttpServer server = EmulatorHttpServer.start(host, port, handlers.apply(live));
    base.set(server.baseUrl());
    effectiveIssuer.compareAndSet(null, server.baseUrl());
    // Set just above when no issuer was configured.
    return new Started(server, Objects.requireNonNull(effectiveIssuer.get(), "issuer"));
  }
}
