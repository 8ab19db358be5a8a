package dev.openwif.server.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.token.VerifiedAccessToken;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Writes {@code POST /oauth/introspect} answers (RFC 7662 §2.2, §2.3), always JSON with {@code
 * Cache-Control: no-store}:
 *
 * <ul>
 *   <li>an active token: {@code active: true}, {@code token_type: Bearer}, {@code scope} (space
 *       separated, sorted), {@code client_id}, {@code sub}, {@code aud}, {@code iss}, {@code exp},
 *       {@code iat}, {@code jti}, and OpenWIF's {@code openwif_project_id}, {@code
 *       openwif_service_account_id}, {@code openwif_provider_id}, {@code openwif_rule_id} and
 *       {@code openwif_external_subject} (left out when the subject token had no {@code sub}).
 *       {@code client_id} is the {@code client_id} the exchange request named, else the service
 *       account id: the workload that asked for the token acts as that account;
 *   <li>any other token (malformed, foreign, expired, revoked): exactly {@code {"active":false}};
 *   <li>errors in the top-level OAuth shape {@code {"error", "error_description"}} (RFC 6749 §5.2):
 *       400 {@code invalid_request}, 401 {@code invalid_client} with {@code WWW-Authenticate: Basic
 *       realm="openwif"} (RFC 6749 §5.2), 413, and 429 {@code slow_down} with {@code Retry-After}.
 * </ul>
 *
 * Thread-safe.
 */
final class IntrospectionResponses {
  static final String REALM = "Basic realm=\"openwif\"";
  private static final byte[] INACTIVE = "{\"active\":false}".getBytes(StandardCharsets.US_ASCII);

  private final ObjectMapper json;

  IntrospectionResponses(ObjectMapper json) {
    this.json = Objects.requireNonNull(json, "json");
  }

  void active(ServerResponse res, VerifiedAccessToken token, String issuer, String audience) {
    ObjectNode body = json.createObjectNode();
    body.put("active", true);
    body.put("token_type", "Bearer");
    body.put("scope", String.join(" ", new TreeSet<>(token.scopes())));
    body.put("client_id", token.clientId().orElse(token.subject()));
    body.put("sub", token.subject());
    body.put("aud", audience);
    body.put("iss", issuer);
    body.put("exp", token.expiresAt().getEpochSecond());
    body.put("iat", token.issuedAt().getEpochSecond());
    body.put("jti", token.jti());
    body.put("openwif_project_id", token.projectId());
    body.put("openwif_service_account_id", token.subject());
    body.put("openwif_provider_id", token.providerId());
    body.put("openwif_rule_id", token.ruleId());
    token.externalSubject().ifPresent(s -> body.put("openwif_external_subject", s));
    send(res, 200, body);
  }

  void inactive(ServerResponse res) {
    headers(res);
    res.status(200);
    res.send(INACTIVE);
  }

  void invalidRequest(ServerResponse res, String description) {
    error(res, 400, "invalid_request", description);
  }

  void invalidClient(ServerResponse res, String description) {
    res.header(HeaderNames.WWW_AUTHENTICATE, REALM);
    error(res, 401, "invalid_client", description);
  }

  void tooLarge(ServerResponse res, long limit) {
    error(res, 413, "invalid_request", "The request body is larger than " + limit + " bytes.");
  }

  void throttled(ServerResponse res, long retryAfterSeconds) {
    res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds)));
    error(
        res,
        429,
        "slow_down",
        "Too many failed client authentications from this address; retry later.");
  }

  private void error(ServerResponse res, int status, String error, String description) {
    ObjectNode body = json.createObjectNode();
    body.put("error", error);
    body.put("error_description", description);
    send(res, status, body);
  }

  private void send(ServerResponse res, int status, ObjectNode body) {
    headers(res);
    res.status(status);
    try {
      res.send(json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an introspection response", e);
    }
  }

  private static void headers(ServerResponse res) {
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.PRAGMA, "no-cache");
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
  }
}
