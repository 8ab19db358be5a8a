package dev.openwif.exchange;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why the token endpoint refused a request without running {@link TokenExchange#exchange}, or why
 * it failed around it: a closed set, each audited once by {@link EarlyRefusals}.
 */
public sealed interface EarlyRefusal {

  /** The body could not be parsed or lacks a parameter; {@code problem} is safe to show. */
  record Malformed(String problem, Optional<String> clientAddress) implements EarlyRefusal {
    public Malformed {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(clientAddress, "clientAddress");
    }
  }

  /** {@code grant_type} is not token exchange; the other parameters were not looked at. */
  record UnsupportedGrant(String grantType, Optional<String> clientAddress)
      implements EarlyRefusal {
    public UnsupportedGrant {
      Objects.requireNonNull(grantType, "grantType");
      Objects.requireNonNull(clientAddress, "clientAddress");
    }
  }

  /** A rate limit was hit; {@code limit} names which. */
  record RateLimited(ExchangeRequest request, Duration retryAfter, String limit)
      implements EarlyRefusal {
    public RateLimited {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(retryAfter, "retryAfter");
      Objects.requireNonNull(limit, "limit");
    }
  }

  /**
   * The client address's rate limit was hit by a request whose body could not be parsed (so it is
   * audited as rate limited, not as malformed); {@code limit} names it.
   */
  record AddressLimited(Optional<String> clientAddress, Duration retryAfter, String limit)
      implements EarlyRefusal {
    public AddressLimited {
      Objects.requireNonNull(clientAddress, "clientAddress");
      Objects.requireNonNull(retryAfter, "retryAfter");
      Objects.requireNonNull(limit, "limit");
    }
  }

  /** Admission control refused the request because the server is saturated. */
  record Overloaded(ExchangeRequest request, Duration retryAfter) implements EarlyRefusal {
    public Overloaded {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }
  }

  /**
   * The server failed around the exchange (reading the body, the rate limiter): a server fault,
   * answered 500. {@code request} is the parsed request when the fault came after parsing. Only the
   * fault's class name is audited.
   */
  record ServerFault(
      Optional<String> clientAddress, Optional<ExchangeRequest> request, RuntimeException fault)
      implements EarlyRefusal {
    public ServerFault {
      Objects.requireNonNull(clientAddress, "clientAddress");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(fault, "fault");
    }
  }
}
