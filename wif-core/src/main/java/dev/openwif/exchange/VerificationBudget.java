package dev.openwif.exchange;

import java.time.Duration;
import java.util.Optional;

/**
 * The per-provider budget {@link TokenExchange} spends once it has judged the subject token, so
 * neither a flood of forged or garbage tokens naming a provider, nor one of validly signed tokens
 * that match no rule (anyone can get those from a public issuer), can use up the exchanges its
 * genuine workloads are allowed. Exactly one charge per exchange that reaches the subject token's
 * verification:
 *
 * <ul>
 *   <li>{@link #passed}: the token is about to be exchanged — signature and claims verified, a rule
 *       matched, its service account usable, and (with replay protection) not used before; charged
 *       just before the access token is minted;
 *   <li>{@link #failed}: the token was refused for its own content — its signature or claims checks
 *       failed, or it verified but failed a policy check after (transformation failed, no matching
 *       rule, service account unknown, replayed).
 * </ul>
 *
 * Nothing is charged for a refusal before verification (bad request, unknown or disabled provider,
 * stale snapshot), for an unavailable issuer, or for a full replay memory (the server's state, not
 * the token's fault). Implementations are thread-safe and never block.
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
   * A subject token for {@code providerId} is about to be exchanged (verified, a rule matched, not
   * replayed): spends one from the provider's budget. Empty to go on; otherwise the budget is spent
   * and the exchange is refused (429 {@code slow_down}) with this {@code Retry-After}, and the
   * token is not used up by replay protection.
   */
  Optional<Duration> passed(String providerId);

  /**
   * A subject token for {@code providerId}, sent from {@code clientAddress}, failed the signature
   * or claims checks, or verified and then failed a policy check (no matching rule, transformation,
   * service account, replayed): spends from the provider's budget of failures, never from its
   * budget of good exchanges.
   */
  void failed(String providerId, Optional<String> clientAddress);
}
