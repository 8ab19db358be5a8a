package dev.openwif.server.sts;

import dev.openwif.exchange.ExchangeRequest;
import java.util.Objects;

/** The result of parsing a token-endpoint body: a request to exchange, or why it is malformed. */
sealed interface TokenRequest {

  record Parsed(ExchangeRequest request) implements TokenRequest {
    public Parsed {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * A {@code grant_type} other than token exchange (RFC 6749 §5.2 {@code unsupported_grant_type}).
   */
  record UnsupportedGrant(String grantType) implements TokenRequest {
    public UnsupportedGrant {
      Objects.requireNonNull(grantType, "grantType");
    }
  }

  /**
   * Malformed (RFC 6749 §5.2 {@code invalid_request}); {@code problem} is safe to show the client.
   */
  record Malformed(String problem) implements TokenRequest {
    public Malformed {
      Objects.requireNonNull(problem, "problem");
    }
  }
}
