package dev.openwif.client.provider;

import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.SubjectTokenType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Google-signed OIDC identity token for an audience, from the metadata server of Compute Engine,
 * Cloud Run, GKE Workload Identity and other Google runtimes: {@code GET
 * /computeMetadata/v1/instance/service-accounts/default/identity?audience=…&format=full} with
 * {@code Metadata-Flavor: Google}. Like Google's own libraries it honours {@code GCE_METADATA_HOST}
 * ({@code host:port}) to address another metadata server (an emulator).
 *
 * <p>Errors say the status ({@code "Google metadata token request failed with status 404."}) or
 * that the token was empty, as the guide's example does. Thread-safe.
 */
public final class GoogleMetadataTokenProvider implements SubjectTokenProvider {
  /** The metadata server's host name. */
  public static final String DEFAULT_HOST = "metadata.google.internal";

  /** The environment variable Google's libraries read to address another metadata server. */
  public static final String HOST_VARIABLE = "GCE_METADATA_HOST";

  private static final String PATH =
      "/computeMetadata/v1/instance/service-accounts/default/identity";
  private static final String WHAT = "Google metadata";

  private final URI uri;
  private final Duration timeout;
  private final HttpClient http;

  private GoogleMetadataTokenProvider(Builder b) {
    String query =
        "audience=" + IdentityEndpoint.encode(b.audience) + (b.formatFull ? "&format=full" : "");
    this.uri = URI.create("http://" + b.host + PATH + "?" + query);
    this.timeout = b.timeout;
    this.http = b.http != null ? b.http : IdentityEndpoint.defaultClient(b.timeout);
  }

  /** A provider for {@code audience} on the real metadata server (or {@code GCE_METADATA_HOST}). */
  public static GoogleMetadataTokenProvider forAudience(String audience) {
    return builder(audience).environment(System.getenv()).build();
  }

  /** A builder for tokens with the given audience (the provider's configured audience). */
  public static Builder builder(String audience) {
    return new Builder(audience);
  }

  @Override
  public SubjectTokenType tokenType() {
    return SubjectTokenType.JWT;
  }

  @Override
  public String getToken() throws IOException, InterruptedException {
    String body =
        IdentityEndpoint.get(http, uri, Map.of("Metadata-Flavor", "Google"), timeout, WHAT);
    String token = body.trim();
    if (token.isEmpty()) {
      throw new IOException("Google metadata server did not return an identity token.");
    }
    return token;
  }

  @Override
  public String description() {
    return "Google metadata server at " + uri.getRawAuthority();
  }

  /** The identity URL asked, including the audience and format. */
  public URI uri() {
    return uri;
  }

  /** Configures a {@link GoogleMetadataTokenProvider}. */
  public static final class Builder {
    private final String audience;
    private String host = DEFAULT_HOST;
    private boolean formatFull = true;
    private Duration timeout = Duration.ofSeconds(5);
    private @Nullable HttpClient http;

    private Builder(String audience) {
      Objects.requireNonNull(audience, "audience");
      if (audience.isBlank()) {
        throw new IllegalArgumentException("audience must not be blank");
      }
      this.audience = audience;
    }

    /** Reads {@code GCE_METADATA_HOST} from {@code environment}, when set. */
    public Builder environment(Map<String, String> environment) {
      String value = environment.get(HOST_VARIABLE);
      if (value != null && !value.isBlank()) {
        host(value.trim());
      }
      return this;
    }

    /** The metadata server as {@code host} or {@code host:port}. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank() || host.contains("/") || host.contains("?") || host.contains("@")) {
        throw new IllegalArgumentException("metadata host must be host or host:port: " + host);
      }
      this.host = host;
      return this;
    }

    /** Whether to ask {@code format=full} (default true; the token then carries {@code email}). */
    public Builder formatFull(boolean formatFull) {
      this.formatFull = formatFull;
      return this;
    }

    /** Connect and request timeout (default 5 s). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /** The HTTP client to use; default a new one that does not follow redirects. */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "httpClient");
      return this;
    }

    /** Builds the provider. */
    public GoogleMetadataTokenProvider build() {
      return new GoogleMetadataTokenProvider(this);
    }
  }
}
