package dev.openwif.exchange;

import java.time.Duration;
import java.util.Optional;

/**
 * The per-provider budget {@link TokenExchange} spends once the subject token's signature and
 * claims have been checked, so a flood of forged or garbage tokens naming a provider cannot use up
 * the exchanges its genuine workloads are allowed: a token that passes is charged to the provider's
 * budget ({@link #passed}), one that fails to a separate budget of failures ({@link #failed}).
 * Implementations are thread-safe and never block.
 */
public interface VerificationBudget {
  /** Charges nothing and never refuses (tests, benchmarks, an embedded exchange). */
  VerificationBudget UNLIMITED =
      new VerificationBudget() {
        @Override
        public Optional<Duration> passed(String providerId) {
          return Optional.empty();
        }

        @Override
        public void failed(String providerId, Optional<String> clientAddress) {}
      };

  /**
   * A subject token for {@code providerId} passed the signature and claims checks: spends one from
   * the provider's budget. Empty to go on; otherwise the budget is spent and the exchange is
   * refused (429 {@code slow_down}) with this {@code Retry-After}.
   */
  Optional<Duration> passed(String providerId);

  /**
   * A subject token for {@code providerId}, sent from {@code clientAddress}, failed the signature
   * or claims checks: spends from the provider's budget of failures, never from its budget of good
   * exchanges.
   */
  void failed(String providerId, Optional<String> clientAddress);
}
