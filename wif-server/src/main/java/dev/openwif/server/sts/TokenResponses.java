package dev.openwif.server.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.exchange.ExchangeOutcome;
import dev.openwif.exchange.ExchangeRequest;
import dev.openwif.exchange.OAuthError;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/**
 * Writes token-endpoint answers exactly as the SDKs need them (docs/wire-protocol.md): success per
 * RFC 8693 §2.2.1 with {@code token_type} and {@code issued_token_type} and an integer {@code
 * expires_in}; errors per RFC 6749 §5.2 as a <em>top-level</em> {@code {"error",
 * "error_description"}}: refusals a client must act on are 400 or 401 only (an SDK surfaces nothing
 * else as an OAuth error); beyond those, 429 {@code slow_down} (over a rate limit) and 503 {@code
 * temporarily_unavailable}, both with {@code Retry-After}. A server fault is 500 {@code
 * server_error} (from its {@link dev.openwif.exchange.OAuthError#SERVER_ERROR} outcome, or written
 * by {@link TokenEndpoint} when even auditing failed). Every answer carries {@code Cache-Control:
 * no-store} (RFC 6749 §5.1). Thread-safe.
 */
final class TokenResponses {
  private final ObjectMapper json;

  TokenResponses(ObjectMapper json) {
    this.json = json;
  }

  void write(ServerResponse res, ExchangeOutcome outcome) {
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.PRAGMA, "no-cache");
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    ObjectNode body = json.createObjectNode();
    switch (outcome) {
      case ExchangeOutcome.Issued issued -> {
        body.put("access_token", issued.accessToken());
        body.put("issued_token_type", ExchangeRequest.ACCESS_TOKEN_TYPE);
        body.put("token_type", "Bearer");
        body.put("expires_in", issued.expiresIn());
        res.status(200);
      }
      case ExchangeOutcome.Rejected rejected -> {
        body.put("error", rejected.error().code());
        body.put("error_description", rejected.publicDescription());
        res.status(statusOf(rejected.error()));
        rejected
            .retryAfter()
            .ifPresent(
                after ->
                    res.header(
                        HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, after.toSeconds()))));
      }
    }
    try {
      res.send(json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a token response", e);
    }
  }

  /**
   * 401 only for a refused grant; the RFC 6749 §5.2 default of 400 for the request-shape errors.
   */
  static int statusOf(OAuthError error) {
    return switch (error) {
      case INVALID_REQUEST, UNSUPPORTED_GRANT_TYPE, INVALID_TARGET -> 400;
      case INVALID_GRANT -> 401;
      case TEMPORARILY_UNAVAILABLE -> 503;
      case SLOW_DOWN -> 429;
      case SERVER_ERROR -> 500;
    };
  }
}
