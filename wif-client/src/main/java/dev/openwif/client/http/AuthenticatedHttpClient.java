package dev.openwif.client.http;

import dev.openwif.client.WorkloadIdentityCredentials;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;

/**
 * Sends {@code java.net.http} requests with {@code Authorization: Bearer <access token>} (RFC 6750
 * §2.1) from a {@link WorkloadIdentityCredentials}. When the API answers 401 (the token was revoked
 * or expired early) it invalidates the cached token, exchanges again and replays the request once;
 * a second 401 is returned to the caller. Any {@code Authorization} header already on the request
 * is replaced.
 *
 * <p>The request body publisher is sent twice on a replay, so use a repeatable one ({@code
 * ofString}, {@code ofByteArray}, {@code ofFile}). Thread-safe when the wrapped client is (the
 * JDK's is).
 */
public final class AuthenticatedHttpClient {
  private final HttpClient http;
  private final WorkloadIdentityCredentials credentials;

  /** Wraps {@code http}, authenticating with {@code credentials}. */
  public AuthenticatedHttpClient(HttpClient http, WorkloadIdentityCredentials credentials) {
    this.http = Objects.requireNonNull(http, "http");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /**
   * Sends {@code request} authenticated; on a 401, re-authenticates and sends it once more.
   *
   * @throws dev.openwif.client.WorkloadIdentityException when no access token can be obtained
   */
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    String token = credentials.accessToken();
    HttpResponse<T> response = http.send(authenticated(request, token), handler);
    if (response.statusCode() != 401) {
      return response;
    }
    discard(response);
    credentials.invalidate(token);
    return http.send(authenticated(request, credentials.accessToken()), handler);
  }

  /** The wrapped client. */
  public HttpClient httpClient() {
    return http;
  }

  private static HttpRequest authenticated(HttpRequest request, String token) {
    return HttpRequest.newBuilder(request, (name, value) -> !"authorization".equalsIgnoreCase(name))
        .header("Authorization", "Bearer " + token)
        .build();
  }

  private static void discard(HttpResponse<?> response) throws IOException {
    if (response.body() instanceof java.io.InputStream stream) {
      stream.close();
    }
  }
}
