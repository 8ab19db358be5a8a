package dev.openwif.client;

import dev.openwif.client.provider.GoogleMetadataTokenProvider;
import dev.openwif.client.provider.TokenFileProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures {@link WorkloadIdentityCredentials} from the environment variables the guide uses:
 *
 * <ul>
 *   <li>{@code OPENAI_IDENTITY_PROVIDER_ID}, {@code OPENAI_SERVICE_ACCOUNT_ID}: required;
 *   <li>{@code OPENAI_WIF_TOKEN_FILE}: when set, the subject token is read from this mounted file
 *       (GKE or Kubernetes projected token);
 *   <li>otherwise {@code OPENAI_WIF_AUDIENCE} is required and the token comes from the Google
 *       metadata server (honouring {@code GCE_METADATA_HOST});
 *   <li>{@code OPENAI_WIF_TOKEN_URL}: the token endpoint (an OpenWIF server's {@code
 *       …/oauth/token}); default OpenAI's.
 * </ul>
 *
 * A missing variable fails with the guide's message, {@code "Set OPENAI_IDENTITY_PROVIDER_ID,
 * OPENAI_SERVICE_ACCOUNT_ID, and OPENAI_WIF_AUDIENCE"}. Stateless and thread-safe.
 */
public final class WorkloadIdentityEnvironment {
  /** The workload identity provider id. */
  public static final String IDENTITY_PROVIDER_ID = "OPENAI_IDENTITY_PROVIDER_ID";

  /** The service account id. */
  public static final String SERVICE_ACCOUNT_ID = "OPENAI_SERVICE_ACCOUNT_ID";

  /** The audience to ask the metadata server for. */
  public static final String AUDIENCE = "OPENAI_WIF_AUDIENCE";

  /** The token endpoint URL. */
  public static final String TOKEN_URL = "OPENAI_WIF_TOKEN_URL";

  /** A mounted subject token file, used instead of the metadata server when set. */
  public static final String TOKEN_FILE = "OPENAI_WIF_TOKEN_FILE";

  static final String MISSING_METADATA =
      "Set OPENAI_IDENTITY_PROVIDER_ID, OPENAI_SERVICE_ACCOUNT_ID, and OPENAI_WIF_AUDIENCE";
  static final String MISSING_FILE =
      "Set OPENAI_IDENTITY_PROVIDER_ID and OPENAI_SERVICE_ACCOUNT_ID";

  private WorkloadIdentityEnvironment() {}

  /** Credentials from the process environment. */
  public static WorkloadIdentityCredentials credentials() {
    return builder(System.getenv()).build();
  }

  /** Credentials from the given variables. */
  public static WorkloadIdentityCredentials credentials(Map<String, String> environment) {
    return builder(environment).build();
  }

  /**
   * A builder filled from {@code environment}, for callers that want to change more (clock,
   * retries).
   *
   * @throws IllegalStateException with the guide's message when a required variable is missing
   */
  public static WorkloadIdentityCredentials.Builder builder(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    String providerId = value(environment, IDENTITY_PROVIDER_ID);
    String accountId = value(environment, SERVICE_ACCOUNT_ID);
    String tokenFile = value(environment, TOKEN_FILE);
    String audience = value(environment, AUDIENCE);
    SubjectTokenProvider provider;
    if (tokenFile != null) {
      if (providerId == null || accountId == null) {
        throw new IllegalStateException(MISSING_FILE);
      }
      provider = TokenFileProvider.of(Path.of(tokenFile));
    } else {
      if (providerId == null || accountId == null || audience == null) {
        throw new IllegalStateException(MISSING_METADATA);
      }
      provider = GoogleMetadataTokenProvider.builder(audience).environment(environment).build();
    }
    WorkloadIdentityCredentials.Builder builder =
        WorkloadIdentityCredentials.builder()
            .identityProviderId(providerId)
            .serviceAccountId(accountId)
            .provider(provider);
    String tokenUrl = value(environment, TOKEN_URL);
    if (tokenUrl != null) {
      builder.tokenUrl(tokenUrl);
    }
    return builder;
  }

  private static @Nullable String value(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
