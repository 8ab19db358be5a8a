package dev.openwif.emulator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The builder settings every emulator has: listening address, issuer, signing key and clock.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
public abstract class EmulatorBuilder<B extends EmulatorBuilder<B>> {
  private final IssuerSettings settings;
  private Clock clock = Clock.systemUTC();

  protected EmulatorBuilder(EmulatorSigningKey.KidStyle kidStyle) {
    this.settings = new IssuerSettings(kidStyle);
  }

  /** {@code this}, typed as the concrete builder. */
  protected abstract B self();

  /** The address to listen on; default {@code 127.0.0.1}. */
  public B host(String host) {
    settings.host(host);
    return self();
  }

  /** The port; default 0, a free port. */
  public B port(int port) {
    settings.port(port);
    return self();
  }

  /** The {@code iss} to mint with; default the emulator's own base URL. */
  public B issuer(String issuer) {
    settings.issuer(issuer);
    return self();
  }

  /**
   * Loads the signing key from this private JWK file, creating it when absent, so the JWKS is
   * stable.
   */
  public B keyFile(Path keyFile) {
    settings.keyFile(keyFile);
    return self();
  }

  /** Signs with this key (overrides {@link #keyFile(Path)}). */
  public B signingKey(EmulatorSigningKey signingKey) {
    settings.signingKey(signingKey);
    return self();
  }

  /** The clock for the tokens' times; default the system UTC clock. */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /** Resolves the signing key without starting a server (for {@code --print-jwks}). */
  public EmulatorSigningKey resolveSigningKey() {
    return settings.resolveSigningKey();
  }

  protected IssuerSettings settings() {
    return settings;
  }

  protected Clock clock() {
    return clock;
  }
}
