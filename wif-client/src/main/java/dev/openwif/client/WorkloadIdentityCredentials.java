package dev.openwif.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A caching workload-identity credential: exchanges the provider's subject token for an access
 * token (RFC 8693 §2.1, JSON body as the official SDKs send it), keeps it, and refreshes it before
 * it expires.
 *
 * <p>Refresh starts when less than the refresh buffer (default 1200 s, capped at half the token's
 * lifetime) remains. Then:
 *
 * <ul>
 *   <li>a valid cached token is returned at once while one background refresh runs on the executor;
 *   <li>when there is no token or it has expired, callers wait for the exchange;
 *   <li>concurrent callers share one exchange (single flight), whatever their number;
 *   <li>a failed background refresh leaves the cached token in use until it expires; no other
 *       background refresh starts for {@value #BACKGROUND_RETRY_PAUSE_MILLIS} ms after the failure
 *       (an expired token still makes callers wait for a fresh exchange at once);
 *   <li>any failure of the exchange, an {@link Error} included, completes the shared exchange, so
 *       later calls start a new one instead of waiting forever.
 * </ul>
 *
 * <p>Thread-safe. The cached path is one volatile read, one {@link Clock#millis()} and a
 * comparison. It implements {@code Supplier<String>} so it can be handed to anything that takes a
 * token supplier.
 */
public final class WorkloadIdentityCredentials implements Supplier<String> {
  /** OpenAI's token endpoint, the default token URL. */
  public static final URI OPENAI_TOKEN_URL = URI.create("https://auth.openai.com/oauth/token");

  /** The default refresh buffer, as in the official SDKs. */
  public static final Duration DEFAULT_REFRESH_BUFFER = Duration.ofMinutes(20);

  /** How long after a failed exchange no background refresh starts (a valid token is cached). */
  static final long BACKGROUND_RETRY_PAUSE_MILLIS = 10_000;

  private final TokenExchanger exchanger;
  private final Clock clock;
  private final Executor executor;
  private final long refreshBufferMillis;
  private final Object lock = new Object();
  private volatile @Nullable CachedToken cached;
  private @Nullable CompletableFuture<AccessToken> inFlight; // guarded by lock
  private volatile long backgroundRefreshNotBeforeMillis;

  private WorkloadIdentityCredentials(
      Builder b,
      String identityProviderId,
      String serviceAccountId,
      SubjectTokenProvider provider) {
    this.clock = b.clock;
    this.executor = b.executor;
    this.refreshBufferMillis = b.refreshBuffer.toMillis();
    TokenExchanger.ExchangeSettings settings =
        new TokenExchanger.ExchangeSettings(
            b.tokenUrl,
            identityProviderId,
            serviceAccountId,
            b.clientId,
            b.maxAttempts,
            b.initialBackoff,
            b.maxBackoff,
            b.requestTimeout);
    HttpClient http =
        b.httpClient != null
            ? b.httpClient
            : HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(b.requestTimeout)
                .build();
    this.exchanger = new TokenExchanger(settings, provider, http, b.clock);
  }

  /** A builder; identity provider id, service account id and provider are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a valid access token, from the cache when possible.
   *
   * @throws WorkloadIdentityException when no valid token is cached and the exchange failed
   */
  public AccessToken token() {
    CachedToken current = cached;
    long now = clock.millis();
    if (current != null && now < current.refreshAtMillis()) {
      return current.token();
    }
    if (current != null && now < current.expiresAtMillis()) {
      if (now >= backgroundRefreshNotBeforeMillis) {
        // Not awaited: the cached token is still valid. A failure pauses background refreshes
        // (runExchange) and surfaces from the exchange a caller awaits once the token expires.
        var unused = refreshInBackground();
      }
      return current.token();
    }
    return await(refreshInBackground());
  }

  /** Returns the bearer value of {@link #token()}. */
  public String accessToken() {
    return token().value();
  }

  /** Same as {@link #accessToken()}. */
  @Override
  public String get() {
    return accessToken();
  }

  /**
   * Drops the cached token, for example after the API answered 401: the next call exchanges again.
   * An exchange already running is not cancelled; its result is cached when it completes.
   */
  public void invalidate() {
    cached = null;
  }

  /**
   * After a token was dropped for a 401, another is not dropped for this long: an API that rejects
   * every fresh token (a revoked mapping, a clock far off) then costs one exchange per second at
   * most, not one per request.
   */
  static final long MIN_REEXCHANGE_MILLIS = 1000;

  /** When {@link #invalidate(String)} last dropped a token (guarded by {@code lock}). */
  private long lastDroppedMillis = Long.MIN_VALUE / 2;

  /**
   * Drops the cached token only if it is still {@code rejectedToken}: when several requests fail
   * with the same stale token at once, a token another caller already refreshed is kept. At most
   * one token is dropped per {@value #MIN_REEXCHANGE_MILLIS} ms, so a burst of 401s makes at most
   * one exchange per second.
   */
  public void invalidate(String rejectedToken) {
    Objects.requireNonNull(rejectedToken, "rejectedToken");
    synchronized (lock) {
      CachedToken current = cached;
      long now = clock.millis();
      if (current != null
          && current.token().value().equals(rejectedToken)
          && now - lastDroppedMillis >= MIN_REEXCHANGE_MILLIS) {
        cached = null;
        lastDroppedMillis = now;
      }
    }
  }

  /** Starts an exchange unless one is running; returns the running one. */
  private CompletableFuture<AccessToken> refreshInBackground() {
    CompletableFuture<AccessToken> flight;
    synchronized (lock) {
      CompletableFuture<AccessToken> running = inFlight;
      if (running != null) {
        return running;
      }
      CachedToken current = cached;
      if (current != null && clock.millis() < current.refreshAtMillis()) {
        // An exchange finished between the caller's cache read and this lock: no second exchange.
        return CompletableFuture.completedFuture(current.token());
      }
      flight = new CompletableFuture<>();
      inFlight = flight;
    }
    try {
      executor.execute(() -> runExchange(flight));
    } catch (RuntimeException rejected) {
      finish(flight);
      flight.completeExceptionally(rejected);
    }
    return flight;
  }

  /**
   * Runs one exchange; whatever it throws (an {@link Error} too) completes and clears the flight.
   */
  private void runExchange(CompletableFuture<AccessToken> flight) {
    try {
      AccessToken token = exchanger.exchange();
      cached = CachedToken.of(token, refreshBufferMillis);
      backgroundRefreshNotBeforeMillis = 0;
      finish(flight);
      flight.complete(token);
    } catch (Throwable e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      backgroundRefreshNotBeforeMillis = clock.millis() + BACKGROUND_RETRY_PAUSE_MILLIS;
      finish(flight);
      flight.completeExceptionally(e);
    }
  }

  // Identity, not equals(): the flight is cleared only if it is still this very exchange.
  @SuppressWarnings("ReferenceEquality")
  private void finish(CompletableFuture<AccessToken> flight) {
    synchronized (lock) {
      if (inFlight == flight) {
        inFlight = null;
      }
    }
  }

  private static AccessToken await(CompletableFuture<AccessToken> flight) {
    try {
      return flight.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenEndpointException(
          "Interrupted while waiting for the token exchange", Optional.empty(), 0, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WorkloadIdentityException wie) {
        throw wie;
      }
      throw new TokenEndpointException(
          "Token exchange failed: " + cause, Optional.empty(), 0, cause);
    }
  }

  /** A cached token with its refresh and expiry times in epoch milliseconds. */
  private record CachedToken(AccessToken token, long refreshAtMillis, long expiresAtMillis) {
    static CachedToken of(AccessToken token, long refreshBufferMillis) {
      long obtained = token.obtainedAt().toEpochMilli();
      long expires = token.expiresAt().toEpochMilli();
      long buffer = Math.min(refreshBufferMillis, (expires - obtained) / 2);
      return new CachedToken(token, expires - buffer, expires);
    }
  }

  /**
   * Configures {@link WorkloadIdentityCredentials}. Not thread-safe; build once and share the
   * result.
   */
  public static final class Builder {
    private @Nullable String identityProviderId; // required; checked by build()
    private @Nullable String serviceAccountId; // required; checked by build()
    private @Nullable SubjectTokenProvider provider; // required; checked by build()
    private Optional<String> clientId = Optional.empty();
    private URI tokenUrl = OPENAI_TOKEN_URL;
    private boolean allowInsecureTokenUrl;
    private Duration refreshBuffer = DEFAULT_REFRESH_BUFFER;
    private Clock clock = Clock.systemUTC();
    private Executor executor =
        task -> Thread.ofVirtual().name("openwif-token-exchange").start(task);
    private @Nullable HttpClient httpClient;
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(250);
    private Duration maxBackoff = Duration.ofSeconds(4);
    private Duration requestTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The workload identity provider id ({@code identity_provider_id}). Required. */
    public Builder identityProviderId(String id) {
      this.identityProviderId = requireText(id, "identityProviderId");
      return this;
    }

    /** The service account to act as ({@code service_account_id}). Required. */
    public Builder serviceAccountId(String id) {
      this.serviceAccountId = requireText(id, "serviceAccountId");
      return this;
    }

    /** Supplies the subject token for each exchange. Required. */
    public Builder provider(SubjectTokenProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The optional {@code client_id} sent with the exchange. */
    public Builder clientId(String clientId) {
      this.clientId = Optional.of(requireText(clientId, "clientId"));
      return this;
    }

    /**
     * The token endpoint; default OpenAI's. Set {@code https://your-openwif/oauth/token} to
     * self-host.
     */
    public Builder tokenUrl(URI tokenUrl) {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      String scheme = tokenUrl.getScheme();
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("tokenUrl must be an http(s) URL: " + tokenUrl);
      }
      this.tokenUrl = tokenUrl;
      return this;
    }

    /**
     * Allows an {@code http://} token URL on a host other than a loopback address (refused by
     * default: the subject and access tokens would cross the network in clear text). For test
     * networks only.
     */
    public Builder allowInsecureTokenUrl(boolean allow) {
      this.allowInsecureTokenUrl = allow;
      return this;
    }

    /** The token endpoint as a string; see {@link #tokenUrl(URI)}. */
    public Builder tokenUrl(String tokenUrl) {
      return tokenUrl(URI.create(Objects.requireNonNull(tokenUrl, "tokenUrl")));
    }

    /** Refresh this long before expiry (default 1200 s), capped at half the token's lifetime. */
    public Builder refreshBuffer(Duration buffer) {
      Objects.requireNonNull(buffer, "refreshBuffer");
      if (buffer.isNegative()) {
        throw new IllegalArgumentException("refreshBuffer must not be negative");
      }
      this.refreshBuffer = buffer;
      return this;
    }

    /** The clock deciding when tokens are due for refresh; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs exchanges; default a new virtual thread per exchange. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The HTTP client for the token endpoint; it must not follow redirects. Default a new one. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Retries: at most {@code maxAttempts} requests per exchange (default 3), waiting {@code
     * initial} (default 250 ms) then doubling up to {@code max} (default 4 s) between them.
     */
    public Builder retries(int maxAttempts, Duration initial, Duration max) {
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException("maxAttempts must be between 1 and 10: " + maxAttempts);
      }
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative()
          || max.compareTo(initial) < 0
          || max.compareTo(Duration.ofSeconds(30)) > 0) {
        throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max <= 30 s");
      }
      this.maxAttempts = maxAttempts;
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** The timeout of one token endpoint request (default 30 s). */
    public Builder requestTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "requestTimeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive");
      }
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * Builds the credential.
     *
     * @throws IllegalStateException naming the missing required setting
     */
    public WorkloadIdentityCredentials build() {
      String idp = identityProviderId;
      if (idp == null) {
        throw new IllegalStateException("identityProviderId is required");
      }
      String account = serviceAccountId;
      if (account == null) {
        throw new IllegalStateException("serviceAccountId is required");
      }
      SubjectTokenProvider subjectTokens = provider;
      if (subjectTokens == null) {
        throw new IllegalStateException("provider is required");
      }
      if ("http".equalsIgnoreCase(tokenUrl.getScheme())
          && !loopback(tokenUrl.getHost())
          && !allowInsecureTokenUrl) {
        throw new IllegalStateException(
            "tokenUrl "
                + tokenUrl.getScheme()
                + "://"
                + tokenUrl.getHost()
                + " would send the workload's identity token and receive its access token in clear"
                + " text: use https, a loopback address, or allowInsecureTokenUrl(true) on a"
                + " network you trust");
      }
      return new WorkloadIdentityCredentials(this, idp, account, subjectTokens);
    }

    /**
     * Whether {@code host} is this machine: {@code localhost}, or a loopback IP literal. Never a
     * name lookup.
     */
    static boolean loopback(@Nullable String host) {
      if (host == null || host.isEmpty()) {
        return false;
      }
      String h =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      if (h.equalsIgnoreCase("localhost")) {
        return true;
      }
      boolean literal =
          h.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (h.contains(":") && h.matches("[0-9A-Fa-f:.]+"));
      if (!literal) {
        return false;
      }
      try {
        return java.net.InetAddress.getByName(h).isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }

    private static String requireText(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value.trim();
    }
  }
}
