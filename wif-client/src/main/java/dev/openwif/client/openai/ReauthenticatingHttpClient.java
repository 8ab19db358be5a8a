package dev.openwif.client.openai;

import com.openai.core.RequestOptions;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import dev.openwif.client.WorkloadIdentityCredentials;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An {@code openai-java} {@link HttpClient} decorator: when the API answers 401 it invalidates the
 * workload-identity token, exchanges again and replays the request once with the new bearer token
 * (the Node SDK's behaviour). A request whose body cannot be sent twice is not replayed.
 * Thread-safe when the delegate is.
 */
public final class ReauthenticatingHttpClient implements HttpClient {
  private final HttpClient delegate;
  private final WorkloadIdentityCredentials credentials;

  /** Wraps {@code delegate}, re-authenticating with {@code credentials}. */
  public ReauthenticatingHttpClient(HttpClient delegate, WorkloadIdentityCredentials credentials) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /** Runs each task on a new virtual thread (no pool to size or starve). */
  private static final java.util.concurrent.Executor VIRTUAL =
      task -> Thread.ofVirtual().name("openwif-reauthenticate").start(task);

  @Override
  public HttpResponse execute(HttpRequest request, RequestOptions options) {
    HttpResponse response = delegate.execute(request, options);
    if (!shouldReplay(request, response)) {
      return response;
    }
    response.close();
    invalidateSent(request);
    return delegate.execute(reauthenticated(request), options);
  }

  @Override
  public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
    return delegate
        .executeAsync(request, options)
        .thenCompose(
            response -> {
              if (!shouldReplay(request, response)) {
                return CompletableFuture.completedFuture(response);
              }
              response.close();
              invalidateSent(request);
              // getting a token may block on an exchange: a virtual thread, never the common pool
              return CompletableFuture.supplyAsync(() -> reauthenticated(request), VIRTUAL)
                  .thenCompose(replay -> delegate.executeAsync(replay, options));
            });
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static boolean shouldReplay(HttpRequest request, HttpResponse response) {
    return response.statusCode() == 401 && (request.body() == null || request.body().repeatable());
  }

  /** Drops the token the rejected request carried (and only that one; a newer token is kept). */
  private void invalidateSent(HttpRequest request) {
    List<String> sent = request.headers().values("Authorization");
    if (!sent.isEmpty() && sent.get(0).startsWith("Bearer ")) {
      credentials.invalidate(sent.get(0).substring("Bearer ".length()));
    } else {
      credentials.invalidate();
    }
  }

  private HttpRequest reauthenticated(HttpRequest request) {
    return request.toBuilder()
        .replaceHeaders("Authorization", "Bearer " + credentials.accessToken())
        .build();
  }
}
