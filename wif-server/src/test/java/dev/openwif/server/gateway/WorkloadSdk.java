package dev.openwif.server.gateway;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.auth.SubjectTokenProvider;
import com.openai.auth.SubjectTokenType;
import com.openai.auth.WorkloadIdentity;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpClient;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;

/**
 * The official {@code openai-java} SDK with its own workload identity, pointed at a {@link
 * LiveServer}: subject tokens come from the federation's test issuer, the SDK exchanges them at the
 * server's {@code /oauth/token} (its hard-coded token URL is rewritten by an OkHttp application
 * interceptor before any connection is made, as in {@code OpenAiSdkIT}) and calls the server's
 * {@code /v1} with the access token it got. The interceptor also records every bearer the SDK sent
 * to {@code /v1}, so a test can prove the upstream never saw one. Thread-safe.
 */
final class WorkloadSdk implements AutoCloseable {
  private static final String SDK_TOKEN_HOST = "auth.openai.com";

  private final OpenAIClient client;
  private final Set<String> accessTokensSent = ConcurrentHashMap.newKeySet();

  /** Without the SDK's retries, so a test sees each answer as the server gave it. */
  WorkloadSdk(LiveServer server, Federation federation) {
    this(server, federation, 0);
  }

  WorkloadSdk(LiveServer server, Federation federation, int maxRetries) {
    HttpUrl tokenUrl = HttpUrl.get(server.url() + "/oauth/token");
    Interceptor interceptor =
        chain -> {
          okhttp3.Request request = chain.request();
          if (request.url().host().equals(SDK_TOKEN_HOST)) {
            request = request.newBuilder().url(tokenUrl).build();
          } else {
            String authorization = request.header("Authorization");
            if (authorization != null && authorization.startsWith("Bearer ")) {
              accessTokensSent.add(authorization.substring("Bearer ".length()));
            }
          }
          return chain.proceed(request);
        };
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.url() + "/v1")
            .addInterceptor(interceptor)
            .responseValidation(true)
            .maxRetries(maxRetries)
            .timeout(Duration.ofSeconds(30))
            .workloadIdentity(
                WorkloadIdentity.builder()
                    .identityProviderId(federation.providerId())
                    .serviceAccountId(federation.accountId())
                    .provider(new IssuerTokens(federation))
                    .build())
            .build();
  }

  OpenAIClient client() {
    return client;
  }

  /** The access tokens the SDK sent to {@code /v1} so far. */
  Set<String> accessTokensSent() {
    return Set.copyOf(accessTokensSent);
  }

  @Override
  public void close() {
    client.close();
  }

  /** Subject tokens from the federation's test issuer (what a workload's platform supplies). */
  private record IssuerTokens(Federation federation) implements SubjectTokenProvider {
    @Override
    public SubjectTokenType tokenType() {
      return SubjectTokenType.JWT;
    }

    @Override
    public String getToken(HttpClient httpClient, JsonMapper jsonMapper) {
      return federation.subjectToken(Clock.systemUTC());
    }

    @Override
    public CompletableFuture<String> getTokenAsync(HttpClient httpClient, JsonMapper jsonMapper) {
      return CompletableFuture.completedFuture(getToken(httpClient, jsonMapper));
    }
  }
}
