package dev.openwif.client.provider;

import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.SubjectTokenType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A GitHub Actions OIDC token for an audience. In a job with {@code permissions: id-token: write}
 * the runner sets {@code ACTIONS_ID_TOKEN_REQUEST_URL} and {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN};
 * this provider GETs that URL with {@code &audience=…} and {@code Authorization: bearer <request
 * token>} and returns the response's {@code value}. Thread-safe.
 */
public final class GitHubActionsTokenProvider implements SubjectTokenProvider {
  /** The variable holding the token request URL. */
  public static final String REQUEST_URL_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_URL";

  /** The variable holding the bearer token for the request. */
  public static final String REQUEST_TOKEN_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

  private static final String WHAT = "GitHub Actions OIDC";

  private final URI uri;
  private final String requestToken;
  private final Duration timeout;
  private final HttpClient http;

  private GitHubActionsTokenProvider(
      URI uri, String requestToken, Duration timeout, HttpClient http) {
    this.uri = uri;
    this.requestToken = requestToken;
    this.timeout = timeout;
    this.http = http;
  }

  /**
   * A provider for {@code audience} configured from the runner's variables in {@code environment}.
   *
   * @throws IllegalStateException when either variable is missing (the job lacks {@code id-token:
   *     write})
   */
  public static GitHubActionsTokenProvider fromEnvironment(
      Map<String, String> environment, String audience) {
    return fromEnvironment(environment, audience, Duration.ofSeconds(10));
  }

  /** As {@link #fromEnvironment(Map, String)} with a request timeout. */
  public static GitHubActionsTokenProvider fromEnvironment(
      Map<String, String> environment, String audience, Duration timeout) {
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(timeout, "timeout");
    String url = environment.get(REQUEST_URL_VARIABLE);
    String token = environment.get(REQUEST_TOKEN_VARIABLE);
    if (url == null || url.isBlank() || token == null || token.isBlank()) {
      throw new IllegalStateException(
          "Set "
              + REQUEST_URL_VARIABLE
              + " and "
              + REQUEST_TOKEN_VARIABLE
              + " (give the job the permission id-token: write)");
    }
    String separator = url.contains("?") ? "&" : "?";
    URI uri = URI.create(url.trim() + separator + "audience=" + IdentityEndpoint.encode(audience));
    return new GitHubActionsTokenProvider(
        uri, token.trim(), timeout, IdentityEndpoint.defaultClient(timeout));
  }

  @Override
  public SubjectTokenType tokenType() {
    return SubjectTokenType.JWT;
  }

  @Override
  public String getToken() throws IOException, InterruptedException {
    String body =
        IdentityEndpoint.get(
            http, uri, Map.of("Authorization", "bearer " + requestToken), timeout, WHAT);
    return IdentityEndpoint.jsonField(body, "value", WHAT);
  }

  @Override
  public String description() {
    return "GitHub Actions OIDC at " + uri.getRawAuthority();
  }
}
