package dev.openwif.server.gateway;

import dev.openwif.directory.FederationDirectory;
import dev.openwif.federation.FederationChangeListener;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.ServiceAccountRateLimits;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.token.VerifiedAccessToken;
import dev.openwif.usage.UsageCounter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limits, usage counting and the access log of the proxied {@code /v1} calls. {@link #begin}
 * applies the service account's limits, read from the in-memory snapshot (never the store): a
 * refused call gets 429 in OpenAI's shape (type {@code requests} or {@code tokens}, code {@code
 * rate_limit_exceeded}) with {@code retry-after} and the {@code x-ratelimit-*} headers, and is
 * logged but not counted as usage; an admitted one gets a {@link MeteredCall}. As a {@link
 * FederationChangeListener} it drops the buckets of accounts that lost their limits or were
 * deleted. Thread-safe.
 */
public final class GatewayMeter implements FederationChangeListener {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayMeter.class);

  private final FederationDirectory directory;
  private final UsageCounter usage;
  private final ServiceAccountRateLimiter limiter;
  private final Clock clock;
  private final int clusterNodes;

  public GatewayMeter(FederationDirectory directory, UsageCounter usage, Clock clock) {
    this(directory, usage, clock, 1);
  }

  /**
   * A meter on one of {@code clusterNodes} nodes ({@code --cluster-nodes}): each service account
   * limit is enforced here as its share, {@link ServiceAccountRateLimits#perNode}, so the nodes
   * together allow about the limit rather than {@code clusterNodes} times it.
   */
  public GatewayMeter(
      FederationDirectory directory, UsageCounter usage, Clock clock, int clusterNodes) {
    if (clusterNodes < 1) {
      throw new IllegalArgumentException("clusterNodes must be positive, was " + clusterNodes);
    }
    this.clusterNodes = clusterNodes;
    this.directory = Objects.requireNonNull(directory, "directory");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limiter = new ServiceAccountRateLimiter(clock);
  }

  /**
   * Applies {@code token}'s service account limits to this call: empty when it was refused (the 429
   * is written), else the call to meter. {@code token} was verified and found in force; {@code
   * scope} is the one the guard authorized (only {@code api.model.request} calls have their usage
   * read).
   */
  Optional<MeteredCall> begin(
      VerifiedAccessToken token,
      Optional<String> scope,
      ServerRequest req,
      ServerResponse res,
      OpenAiErrorWriter errors) {
    long startNanos = System.nanoTime();
    Instant now = clock.instant();
    ServiceAccountRateLimits limits =
        Optional.ofNullable(directory.snapshot().serviceAccounts().get(token.subject()))
            .map(ServiceAccount::rateLimits)
            .orElse(ServiceAccountRateLimits.unlimited())
            .perNode(clusterNodes);
    ServiceAccountRateLimiter.Decision decision = limiter.admit(token.subject(), limits);
    Map<String, String> headers = RateLimitHeaders.of(decision);
    String method = req.prologue().method().text();
    String path = req.path().path();
    if (!decision.admitted()) {
      String kind = decision.refusedBy().orElseThrow();
      LOG.debug("service account {} refused by its {} per minute limit", token.subject(), kind);
      headers.forEach(res::header);
      errors.write(
          res,
          429,
          kind,
          "Rate limit reached for service account "
              + token.subject()
              + " on "
              + kind
              + " per min: Limit "
              + limit(decision, kind)
              + ". Please try again in "
              + RateLimitHeaders.duration(decision.retryAfter())
              + ".",
          Optional.empty(),
          Optional.of("rate_limit_exceeded"));
      AccessLog.write(
          new AccessLog.Entry(
              method,
              path,
              429,
              0,
              token.projectId(),
              token.subject(),
              token.providerId(),
              Optional.empty(),
              0,
              0,
              0,
              Optional.empty()));
      return Optional.empty();
    }
    return Optional.of(
        new MeteredCall(
            this,
            token,
            limits,
            headers,
            method,
            path,
            scope.filter(RouteScopes.MODEL_REQUEST::equals).isPresent(),
            now.truncatedTo(ChronoUnit.MINUTES),
            startNanos));
  }

  private static String limit(ServiceAccountRateLimiter.Decision decision, String kind) {
    return (kind.equals("tokens") ? decision.tokens() : decision.requests())
        .map(s -> Long.toString(s.limit()))
        .orElse("?");
  }

  UsageCounter usage() {
    return usage;
  }

  ServiceAccountRateLimiter limiter() {
    return limiter;
  }

  /** Drops the buckets of accounts deleted or no longer limited. */
  @Override
  public void federationChanged() {
    Map<String, ServiceAccount> accounts = directory.snapshot().serviceAccounts();
    limiter.retainOnly(
        id -> {
          ServiceAccount account = accounts.get(id);
          return account != null && !account.rateLimits().isUnlimited();
        });
  }
}
