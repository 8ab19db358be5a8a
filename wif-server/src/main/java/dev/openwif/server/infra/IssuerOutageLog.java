package dev.openwif.server.infra;

import dev.openwif.oidc.IssuerFetchListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs an issuer's outage once, when its key fetches start failing (WARN, with why), and its
 * recovery once, when a fetch succeeds again (INFO, with how long it lasted): never a line per
 * request or per failed retry. Per provider; thread-safe.
 */
public final class IssuerOutageLog implements IssuerFetchListener {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerOutageLog.class);

  private final Clock clock;

  /** When each provider's failing run began; absent while its fetches succeed. */
  private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

  public IssuerOutageLog(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void fetchEnded(String providerId, String issuer, Optional<String> failure) {
    if (failure.isPresent()) {
      if (failingSince.putIfAbsent(providerId, clock.instant()) == null) {
        LOG.warn(
            "issuer of provider {} is unavailable, its keys could not be fetched: {} (logged once"
                + " until it recovers)",
            providerId,
            failure.get());
      }
      return;
    }
    Instant since = failingSince.remove(providerId);
    if (since != null) {
      LOG.info(
          "issuer of provider {} recovered: its keys were fetched after {} s of failures ({})",
          providerId,
          Duration.between(since, clock.instant()).toSeconds(),
          issuer);
    }
  }
}
