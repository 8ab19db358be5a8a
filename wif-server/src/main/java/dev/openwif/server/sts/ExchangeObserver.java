package dev.openwif.server.sts;

import dev.openwif.audit.ReasonCode;

/**
 * Told how each token exchange attempt ended and how long the endpoint took for it: the port
 * through which the token endpoint reports to metrics. Called on the request thread once per
 * attempt; implementations are thread-safe, must not block, allocate little and never throw.
 */
public interface ExchangeObserver {
  /** Observes nothing. */
  ExchangeObserver NONE =
      new ExchangeObserver() {
        @Override
        public void issued(long nanos) {}

        @Override
        public void rejected(ReasonCode reason, long nanos) {}

        @Override
        public void unaudited(long nanos) {}
      };

  /** An access token was issued. */
  void issued(long nanos);

  /** The attempt was refused (or failed: {@link ReasonCode#INTERNAL_ERROR}) for {@code reason}. */
  void rejected(ReasonCode reason, long nanos);

  /** The attempt could not be audited, so it was refused with 503 and nothing was issued. */
  void unaudited(long nanos);
}
