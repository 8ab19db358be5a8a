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
 * A Microsoft Entra ID token for a managed identity, from the Azure Instance Metadata Service:
 * {@code GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…[&client_id=…]} with
 * {@code Metadata: true}; the JWT is the response's {@code access_token}. The resource is the
 * audience configured on the workload identity provider (for example an application ID URI).
 * Thread-safe.
 */
public final class AzureManagedIdentityTokenProvider implements SubjectTokenProvider {
  /** The IMDS base address, reachable only from inside an Azure VM, VMSS or AKS node. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://169.254.169.254");

  private static final String WHAT = "Azure IMDS";

  private final URI uri;
  private final Duration timeout;
  private final HttpClient http;

  private AzureManagedIdentityTokenProvider(Builder b) {
    String query =
        "api-version=2018-02-01&resource="
            + IdentityEndpoint.encode(b.resource)
            + (b.clientId == null ? "" : "&client_id=" + IdentityEndpoint.encode(b.clientId));
    String base = b.endpoint.toString().replaceAll("/+$", "");
    this.uri = URI.create(base + "/metadata/identity/oauth2/token?" + query);
    this.timeout = b.timeout;
    this.http = b.http != null ? b.http : IdentityEndpoint.defaultClient(b.timeout);
  }

  /** A builder for tokens whose audience is {@code resource}. */
  public static Builder builder(String resource) {
    return new Builder(resource);
  }

  @Override
  public SubjectTokenType tokenType() {
    return SubjectTokenType.JWT;
  }

  @Override
  public String getToken() throws IOException, InterruptedException {
    String body = IdentityEndpoint.get(http, uri, Map.of("Metadata", "true"), timeout, WHAT);
    return IdentityEndpoint.jsonField(body, "access_token", WHAT);
  }

  @Override
  public String description() {
    return "Azure IMDS at " + uri.getRawAuthority();
  }

  /** Configures an {@link AzureManagedIdentityTokenProvider}. */
  public static final class Builder {
    private final String resource;
    private @Nullable String clientId;
    private URI endpoint = DEFAULT_ENDPOINT;
    private Duration timeout = Duration.ofSeconds(5);
    private @Nullable HttpClient http;

    private Builder(String resource) {
      Objects.requireNonNull(resource, "resource");
      if (resource.isBlank()) {
        throw new IllegalArgumentException("resource must not be blank");
      }
      this.resource = resource;
    }

    /** The client id of a user-assigned managed identity. */
    public Builder clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /** Another IMDS base address (an emulator); default {@code http://169.254.169.254}. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** Connect and request timeout (default 5 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The HTTP client to use; default a new one that does not follow redirects. */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "httpClient");
      return this;
    }

    /** Builds the provider. */
    public AzureManagedIdentityTokenProvider build() {
      return new AzureManagedIdentityTokenProvider(this);
    }
  }
}
