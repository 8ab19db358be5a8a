package dev.openwif.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads a successful token exchange response (RFC 8693 §2.2.1) with the same strictness as the
 * official SDKs: {@code access_token} must be printable ASCII without surrounding whitespace,
 * {@code expires_in} (default 3600 when absent) a positive integer, {@code token_type} (when
 * present) {@code Bearer}.
 */
final class TokenResponseParser {
  private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

  private TokenResponseParser() {}

  static AccessToken parse(ObjectMapper json, String body, Instant obtainedAt, int attempts) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      throw invalid("the body is not JSON", attempts);
    }
    if (root == null || !root.isObject()) {
      throw invalid("the body is not a JSON object", attempts);
    }
    JsonNode token = root.get("access_token");
    if (token == null || !token.isTextual() || token.asText().isEmpty()) {
      throw invalid("access_token is missing", attempts);
    }
    String value = token.asText();
    if (!isPrintableAscii(value)) {
      throw invalid("access_token has whitespace or non-printable characters", attempts);
    }
    JsonNode tokenType = root.get("token_type");
    if (tokenType != null
        && !tokenType.isNull()
        && !"bearer".equalsIgnoreCase(tokenType.asText())) {
      throw invalid("token_type is " + tokenType.asText() + ", not Bearer", attempts);
    }
    long expiresIn = expiresIn(root.get("expires_in"), attempts);
    JsonNode issued = root.get("issued_token_type");
    String issuedType = issued != null && issued.isTextual() ? issued.asText() : ACCESS_TOKEN_TYPE;
    return new AccessToken(value, issuedType, obtainedAt, obtainedAt.plusSeconds(expiresIn));
  }

  private static long expiresIn(JsonNode node, int attempts) {
    if (node == null || node.isNull()) {
      return TokenExchanger.defaultExpiresIn();
    }
    if (!node.isNumber()
        || !node.canConvertToLong()
        || node.asDouble() != Math.floor(node.asDouble())) {
      throw invalid("expires_in is not an integer", attempts);
    }
    long value = node.asLong();
    if (value <= 0) {
      throw invalid("expires_in is not positive", attempts);
    }
    return value;
  }

  private static boolean isPrintableAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static TokenEndpointException invalid(String reason, int attempts) {
    return new TokenEndpointException(
        "Token endpoint returned an invalid success response: " + reason,
        Optional.of(200),
        attempts,
        null);
  }
}
