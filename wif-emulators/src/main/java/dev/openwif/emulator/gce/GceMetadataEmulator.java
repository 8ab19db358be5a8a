package dev.openwif.emulator.gce;

import dev.openwif.emulator.EmulatorBuilder;
import dev.openwif.emulator.EmulatorHttpServer;
import dev.openwif.emulator.EmulatorSigningKey;
import dev.openwif.emulator.IssuerSettings;
import java.util.List;
import java.util.Objects;

/**
 * A running emulator of the Google Compute Engine metadata server, in-process, on {@code
 * 127.0.0.1}.
 *
 * <pre>{@code
 * try (GceMetadataEmulator metadata = GceMetadataEmulator.builder().start()) {
 *   String token = metadata.identityToken("https://api.openai.com/v1", true);
 *   // or point a client at it: GCE_METADATA_HOST=127.0.0.1:<metadata.port()>
 * }
 * }</pre>
 *
 * <p>The issuer is the emulator's own base URL unless {@link Builder#issuer(String)} sets another
 * (for example {@code https://accounts.google.com}, with the JWKS then uploaded into the provider).
 * Thread-safe.
 */
public final class GceMetadataEmulator implements AutoCloseable {
  private final EmulatorHttpServer server;
  private final EmulatorSigningKey key;
  private final GceInstance instance;
  private final GceIdentityTokenMinter minter;
  private final String issuer;

  private GceMetadataEmulator(
      EmulatorHttpServer server,
      EmulatorSigningKey key,
      GceInstance instance,
      GceIdentityTokenMinter minter,
      String issuer) {
    this.server = server;
    this.key = key;
    this.instance = instance;
    this.minter = minter;
    this.issuer = issuer;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code http://127.0.0.1:PORT}, where the metadata paths, discovery document and JWKS are
   * served.
   */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** The {@code host:port} form Google's libraries read from {@code GCE_METADATA_HOST}. */
  public String metadataHost() {
    return baseUrl().substring("http://".length());
  }

  public int port() {
    return server.port();
  }

  /** The {@code iss} of every token minted here. */
  public String issuer() {
    return issuer;
  }

  /** The public JWKS that verifies the tokens, as served at {@code /oauth2/v3/certs}. */
  public String jwksJson() {
    return key.publicJwksJson();
  }

  /** The emulated VM. */
  public GceInstance instance() {
    return instance;
  }

  /**
   * A token as {@code GET .../identity?audience=AUDIENCE[&format=full]} returns it.
   *
   * @param full whether to mint the {@code format=full} shape (email and {@code
   *     google.compute_engine})
   */
  public String identityToken(String audience, boolean full) {
    return minter.mint(
        issuer, audience, full ? IdentityTokenFormat.FULL : IdentityTokenFormat.STANDARD, false);
  }

  /** Stops the HTTP server. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  /** Configures an emulator; every setting has a default matching the guide's example names. */
  public static final class Builder extends EmulatorBuilder<Builder> {
    private String serviceAccountEmail = "openai-wif@my-project.iam.gserviceaccount.com";
    private String projectId = "my-project";
    private String zone = "us-central1-a";
    private List<String> licenseIds = List.of();

    private Builder() {
      super(EmulatorSigningKey.KidStyle.HEX_SHA1);
    }

    @Override
    protected Builder self() {
      return this;
    }

    public Builder serviceAccountEmail(String serviceAccountEmail) {
      this.serviceAccountEmail = Objects.requireNonNull(serviceAccountEmail, "serviceAccountEmail");
      return this;
    }

    public Builder projectId(String projectId) {
      this.projectId = Objects.requireNonNull(projectId, "projectId");
      return this;
    }

    public Builder zone(String zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * License codes put in {@code google.compute_engine.license_id} when a client asks {@code
     * licenses=TRUE}.
     */
    public Builder licenseIds(List<String> licenseIds) {
      this.licenseIds = List.copyOf(licenseIds);
      return this;
    }

    /**
     * Validates the settings and starts listening.
     *
     * @throws IllegalArgumentException for an invalid setting, naming it
     * @throws IllegalStateException when the port cannot be bound
     */
    public GceMetadataEmulator start() {
      GceInstance instance =
          GceInstance.of(serviceAccountEmail, projectId, zone).withLicenseIds(licenseIds);
      EmulatorSigningKey key = resolveSigningKey();
      GceIdentityTokenMinter minter = new GceIdentityTokenMinter(key, instance, clock());
      IssuerSettings.Started started =
          settings()
              .start(
                  live ->
                      new GceMetadataHandler(
                          instance, minter, live::issuer, live::baseUrl, key.publicJwksJson()));
      return new GceMetadataEmulator(started.server(), key, instance, minter, started.issuer());
    }
  }
}
