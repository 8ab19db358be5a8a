package dev.openwif.exchange;

import dev.openwif.audit.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** What one exchange attempt produced: an access token, or a typed refusal. */
public sealed interface ExchangeOutcome {

  /**
   * An access token was minted (RFC 8693 §2.2.1).
   *
   * @param expiresIn whole seconds until {@code expiresAt}, always positive
   */
  record Issued(
      String accessToken,
      long expiresIn,
      Instant expiresAt,
      String jti,
      String providerId,
      String ruleId,
      String serviceAccountId,
      Set<String> scopes)
      implements ExchangeOutcome {
    public Issued {
      Objects.requireNonNull(accessToken, "accessToken");
      if (expiresIn <= 0) {
        throw new IllegalArgumentException("expiresIn must be positive");
      }
      Objects.requireNonNull(expiresAt, "expiresAt");
      Objects.requireNonNull(jti, "jti");
      Objects.requireNonNull(providerId, "providerId");
      Objects.requireNonNull(ruleId, "ruleId");
      Objects.requireNonNull(serviceAccountId, "serviceAccountId");
      scopes = java.util.Collections.unmodifiableSet(new TreeSet<>(scopes));
    }

    @Override
    public String toString() {
      return "Issued[jti="
          + jti
          + ", serviceAccount="
          + serviceAccountId
          + ", expiresIn="
          + expiresIn
          + "]";
    }
  }

  /**
   * The exchange was refused. Only {@code error} and {@code publicDescription} go to the client;
   * {@code reason} and {@code detail} (which may quote claim values) go to the audit log.
   *
   * @param retryAfter set for {@link OAuthError#TEMPORARILY_UNAVAILABLE}
   */
  record Rejected(
      OAuthError error,
      ReasonCode reason,
      String publicDescription,
      String detail,
      Optional<Duration> retryAfter)
      implements ExchangeOutcome {
    public Rejected {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(publicDescription, "publicDescription");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }
  }
}
