package dev.openwif.server.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.exchange.ExchangeOutcome;
import dev.openwif.exchange.ExchangeRequest;
import dev.openwif.exchange.OAuthError;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

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
  private static final Header NO_STORE =
      HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store");
  private static final Header NO_CACHE = HeaderValues.createCached(HeaderNames.PRAGMA, "no-cache");
  private static final Header JSON =
      HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
  private static final byte[] ISSUED_HEAD =
      "{\"access_token\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ISSUED_TAIL =
      ("\",\"issued_token_type\":\""
              + ExchangeRequest.ACCESS_TOKEN_TYPE
              + "\",\"token_type\":\"Bearer\",\"expires_in\":")
          .getBytes(StandardCharsets.US_ASCII);

  private final ObjectMapper json;

  TokenResponses(ObjectMapper json) {
    this.json = json;
  }

  void write(ServerResponse res, ExchangeOutcome outcome) {
    res.header(NO_STORE);
    res.header(NO_CACHE);
    res.header(JSON);
    ObjectNode body = json.createObjectNode();
    switch (outcome) {
      case ExchangeOutcome.Issued issued -> {
        res.status(200);
        res.send(issuedBody(issued));
        return;
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
   * The success body, written without a JSON tree: the access token is a compact JWS (base64url and
   * dots, nothing to escape, checked) and the other members are constants and an integer.
   */
  static byte[] issuedBody(ExchangeOutcome.Issued issued) {
    String token = issued.accessToken();
    byte[] tail = Long.toString(issued.expiresIn()).getBytes(StandardCharsets.US_ASCII);
    byte[] body =
        new byte[ISSUED_HEAD.length + token.length() + ISSUED_TAIL.length + tail.length + 1];
    System.arraycopy(ISSUED_HEAD, 0, body, 0, ISSUED_HEAD.length);
    int at = ISSUED_HEAD.length;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!isCompactJwsChar(c)) {
        throw new IllegalStateException("an issued access token is not a compact JWS");
      }
      body[at++] = (byte) c;
    }
    System.arraycopy(ISSUED_TAIL, 0, body, at, ISSUED_TAIL.length);
    at += ISSUED_TAIL.length;
    System.arraycopy(tail, 0, body, at, tail.length);
    body[body.length - 1] = '}';
    return body;
  }

  private static boolean isCompactJwsChar(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.';
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
