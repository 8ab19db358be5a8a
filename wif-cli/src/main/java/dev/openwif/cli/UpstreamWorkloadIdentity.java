package dev.openwif.cli;

import dev.openwif.client.AccessToken;
import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.SubjectTokenProviderException;
import dev.openwif.client.TokenEndpointException;
import dev.openwif.client.TokenExchangeRejectedException;
import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.client.WorkloadIdentityException;
import dev.openwif.client.provider.GoogleMetadataTokenProvider;
import dev.openwif.client.provider.TokenFileProvider;
import dev.openwif.server.gateway.UpstreamCredential;
import dev.openwif.server.gateway.UpstreamCredentialException;
import dev.openwif.server.gateway.UpstreamCredentialState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's upstream key obtained by workload identity ({@code --upstream-identity-provider-id}
 * and its companions): this server's own platform token (from the Google metadata server or a
 * mounted file) is exchanged at the upstream's token endpoint for a short-lived access token, by
 * the project's client library ({@link WorkloadIdentityCredentials}: cached, one exchange for any
 * number of concurrent callers, refreshed in the background before it expires, dropped after a
 * 401). A daemon thread ({@link #start()}) asks for the token at start and again when it is due, so
 * the token is renewed even while no request comes and {@code /readyz} tells the truth. The token
 * is never logged; each new token is one INFO line with its expiry, each new kind of failure one
 * WARN line. Thread-safe.
 */
final class UpstreamWorkloadIdentity implements UpstreamCredential, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamWorkloadIdentity.class);

  /** After a failed exchange, the keeper asks again this much later. */
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

  /** While a refresh runs in the background, the keeper looks again this much later. */
  static final Duration POLL_WHILE_REFRESHING = Duration.ofSeconds(1);

  /** The longest the keeper sleeps, so that it notices a stop and a dropped token. */
  static final Duration LONGEST_SLEEP = Duration.ofSeconds(30);

  /** What {@code --upstream-subject-token} names: where this server's own identity token is. */
  sealed interface SubjectToken {
    /**
     * The Google metadata server's identity token for this audience ({@code GCE_METADATA_HOST}).
     */
    record Metadata(String audience) implements SubjectToken {}

    /** A mounted token file, re-read on every exchange (a GKE projected token). */
    record File(Path path) implements SubjectToken {}

    /**
     * Parses {@code metadata:AUDIENCE} or {@code file:PATH}.
     *
     * @throws IllegalArgumentException naming the flag and what is wrong
     */
    static SubjectToken parse(String value) {
      String v = value.strip();
      if (v.startsWith("metadata:") && v.length() > "metadata:".length()) {
        return new Metadata(v.substring("metadata:".length()));
      }
      if (v.startsWith("file:") && v.length() > "file:".length()) {
        return new File(Path.of(v.substring("file:".length())));
      }
      throw new IllegalArgumentException(
          "--upstream-subject-token must be metadata:AUDIENCE (the Google metadata server's"
              + " identity token for AUDIENCE) or file:PATH (a mounted token file)");
    }

    default String describe() {
      return switch (this) {
        case Metadata m -> "metadata:" + m.audience();
        case File f -> "file:" + f.path();
      };
    }
  }

  /** The flags' values, checked. */
  record Settings(
      String identityProviderId, String serviceAccountId, SubjectToken subjectToken, URI tokenUrl) {
    Settings {
      Objects.requireNonNull(identityProviderId, "identityProviderId");
      Objects.requireNonNull(serviceAccountId, "serviceAccountId");
      Objects.requireNonNull(subjectToken, "subjectToken");
      Objects.requireNonNull(tokenUrl, "tokenUrl");
    }
  }

  private final Settings settings;
  private final WorkloadIdentityCredentials credentials;
  private final Clock clock;
  private final Object lock = new Object();
  private @Nullable AccessToken held; // guarded by lock: the last token obtained, until dropped
  private @Nullable String lastFailure; // guarded by lock
  private volatile boolean stopped;
  private @Nullable Thread keeper;

  /**
   * @throws IllegalArgumentException naming the flag whose value the client library refused
   */
  UpstreamWorkloadIdentity(Settings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      this.credentials =
          WorkloadIdentityCredentials.builder()
              .identityProviderId(settings.identityProviderId())
              .serviceAccountId(settings.serviceAccountId())
              .provider(provider(settings.subjectToken()))
              .tokenUrl(settings.tokenUrl())
              .clock(clock)
              .build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(
          "--upstream-token-url " + settings.tokenUrl() + " is not usable: " + e.getMessage());
    }
  }

  private static SubjectTokenProvider provider(SubjectToken subjectToken) {
    return switch (subjectToken) {
      case SubjectToken.Metadata m -> GoogleMetadataTokenProvider.forAudience(m.audience());
      case SubjectToken.File f -> TokenFileProvider.of(f.path());
    };
  }

  /** Starts the keeper thread, which obtains the first token now. Returns this. */
  UpstreamWorkloadIdentity start() {
    Thread thread =
        Thread.ofPlatform().daemon().name("wif-upstream-credential").unstarted(this::keep);
    keeper = thread;
    thread.start();
    return this;
  }

  @Override
  public Optional<String> current() {
    try {
      return Optional.of(obtained(credentials.token()).value());
    } catch (WorkloadIdentityException e) {
      failed(e);
      throw new UpstreamCredentialException(clientReason(e));
    }
  }

  @Override
  public void rejected(String token) {
    credentials.invalidate(token);
    synchronized (lock) {
      AccessToken current = held;
      if (current != null && current.value().equals(token)) {
        held = null;
        lastFailure = "the upstream answered 401 to the token; it is renewed";
      }
    }
  }

  @Override
  public UpstreamCredentialState state() {
    synchronized (lock) {
      return new UpstreamCredentialState(
          Optional.ofNullable(held).map(AccessToken::expiresAt), Optional.ofNullable(lastFailure));
    }
  }

  @Override
  public String description() {
    return "workload identity (service account "
        + settings.serviceAccountId()
        + " at "
        + settings.tokenUrl()
        + ")";
  }

  /** Names what is used, never a token. */
  @Override
  public String toString() {
    return "UpstreamWorkloadIdentity["
        + settings.identityProviderId()
        + ", "
        + settings.serviceAccountId()
        + ", "
        + settings.subjectToken().describe()
        + ", "
        + settings.tokenUrl()
        + "]";
  }

  @Override
  public void close() {
    stopped = true;
    Thread thread = keeper;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  /** Gets the token when it is due, for ever (until {@link #close()}); every sleep is bounded. */
  private void keep() {
    while (!stopped) {
      Duration pause;
      try {
        AccessToken token = obtained(credentials.token());
        Instant now = clock.instant();
        Instant due = refreshAt(token);
        // inside the refresh window the library refreshes in the background: look again soon
        pause = due.isAfter(now) ? Duration.between(now, due) : POLL_WHILE_REFRESHING;
      } catch (WorkloadIdentityException e) {
        failed(e);
        pause = RETRY_AFTER_FAILURE;
      } catch (RuntimeException e) {
        LOG.warn("upstream credential: unexpected failure: {}", e.toString());
        pause = RETRY_AFTER_FAILURE;
      }
      if (pause.compareTo(LONGEST_SLEEP) > 0) {
        pause = LONGEST_SLEEP;
      }
      LockSupport.parkNanos(Math.max(1_000_000L, pause.toNanos()));
    }
  }

  /**
   * When the library starts refreshing {@code token}: half its life or 20 minutes before expiry.
   */
  private static Instant refreshAt(AccessToken token) {
    Duration life = Duration.between(token.obtainedAt(), token.expiresAt());
    Duration buffer = WorkloadIdentityCredentials.DEFAULT_REFRESH_BUFFER;
    if (buffer.compareTo(life.dividedBy(2)) > 0) {
      buffer = life.dividedBy(2);
    }
    return token.expiresAt().minus(buffer);
  }

  /** Records {@code token}; a token not seen before is logged (its expiry, never its value). */
  private AccessToken obtained(AccessToken token) {
    boolean fresh;
    synchronized (lock) {
      AccessToken before = held;
      fresh = before == null || !before.value().equals(token.value());
      held = token;
      if (fresh) {
        lastFailure = null;
      }
    }
    if (fresh) {
      LOG.info(
          "upstream token obtained by workload identity as {}: expires at {} (in {} s)",
          settings.serviceAccountId(),
          token.expiresAt(),
          Math.max(0, Duration.between(clock.instant(), token.expiresAt()).toSeconds()));
    }
    return token;
  }

  private void failed(WorkloadIdentityException e) {
    String detail = detail(e);
    boolean changed;
    synchronized (lock) {
      changed = !detail.equals(lastFailure);
      lastFailure = detail;
    }
    if (changed) {
      LOG.warn("upstream token exchange at {} failed: {}", settings.tokenUrl(), detail);
    }
  }

  /** The operator's one line: what failed and why (the library's messages carry no token). */
  private static String detail(WorkloadIdentityException e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** The client's one line: the kind of failure and the token endpoint's error code, no URL. */
  static String clientReason(WorkloadIdentityException e) {
    return switch (e) {
      case TokenExchangeRejectedException r ->
          "the upstream's token endpoint refused this gateway's token exchange (HTTP "
              + r.statusCode()
              + r.error().map(code -> ", " + code).orElse("")
              + ").";
      case TokenEndpointException t ->
          "the upstream's token endpoint could not be reached or failed"
              + t.statusCode().map(status -> " (HTTP " + status + ")").orElse("")
              + ".";
      case SubjectTokenProviderException p ->
          "this gateway could not get its own identity token from its platform.";
    };
  }
}
