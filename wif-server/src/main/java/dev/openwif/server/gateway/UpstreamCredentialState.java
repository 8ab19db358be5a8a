package dev.openwif.server.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link UpstreamCredential} knows without asking anyone: until when its token is valid,
 * and why its last exchange failed. Immutable.
 *
 * @param expiresAt when the cached token expires; empty before the first successful exchange
 * @param lastFailure why the last exchange failed (one line, never a token); empty once one
 *     succeeded after it
 */
public record UpstreamCredentialState(Optional<Instant> expiresAt, Optional<String> lastFailure) {
  public UpstreamCredentialState {
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(lastFailure, "lastFailure");
  }

  /** Whether a token valid at {@code now} is cached. */
  public boolean freshAt(Instant now) {
    return expiresAt.isPresent() && now.isBefore(expiresAt.get());
  }

  /** Seconds the cached token is still valid at {@code now}; 0 when none is. */
  public long secondsLeftAt(Instant now) {
    return expiresAt.map(at -> Math.max(0, Duration.between(now, at).toSeconds())).orElse(0L);
  }

  /** One line for {@code /readyz}: fresh until when, or why not. */
  public String describeAt(Instant now) {
    String failure = lastFailure.map(f -> "; last exchange failed: " + f).orElse("");
    if (freshAt(now)) {
      return "fresh, expires in " + secondsLeftAt(now) + " s" + failure;
    }
    return expiresAt
        .map(at -> "expired at " + at + failure)
        .orElse("no token yet" + lastFailure.map(f -> ": " + f).orElse(""));
  }
}
