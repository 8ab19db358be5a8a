package dev.openwif.client.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.client.okhttp.OkHttpClient;
import com.openai.core.ClientOptions;
import com.openai.credential.BearerTokenCredential;
import com.openai.credential.Credential;
import dev.openwif.client.WorkloadIdentityCredentials;
import java.util.Objects;

/**
 * Connects the official {@code openai-java} SDK to a {@link WorkloadIdentityCredentials}.
 *
 * <pre>{@code
 * OpenAIClient client = OpenAIOkHttpClient.builder()
 *     .baseUrl("https://openwif.example.com/v1")
 *     .credential(OpenAiWorkloadIdentity.credential(credentials))
 *     .build();
 * }</pre>
 *
 * The SDK asks the credential for the token on every request, so it always sends the cached or
 * freshly refreshed one. {@link #client(String, WorkloadIdentityCredentials)} also replays once on
 * a 401. Stateless.
 */
public final class OpenAiWorkloadIdentity {
  private OpenAiWorkloadIdentity() {}

  /** A bearer credential whose token comes from {@code credentials} at each request. */
  public static Credential credential(WorkloadIdentityCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    return BearerTokenCredential.create(credentials::accessToken);
  }

  /**
   * An SDK client on OkHttp for {@code baseUrl} (for example {@code
   * https://openwif.example.com/v1}) authenticated by {@code credentials}, that invalidates the
   * token and replays once on a 401.
   */
  public static OpenAIClient client(String baseUrl, WorkloadIdentityCredentials credentials) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(credentials, "credentials");
    ClientOptions options =
        ClientOptions.builder()
            .httpClient(new ReauthenticatingHttpClient(OkHttpClient.builder().build(), credentials))
            .baseUrl(baseUrl)
            .credential(credential(credentials))
            .build();
    return new OpenAIClientImpl(options);
  }
}
