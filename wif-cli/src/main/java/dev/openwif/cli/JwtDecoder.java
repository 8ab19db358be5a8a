package dev.openwif.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Splits a compact-serialized JWS (RFC 7515 §7.1) into its JOSE header and claims set without
 * verifying the signature. Each refusal says what is wrong in plain words and never repeats the
 * input (it may be a live token). Stateless and thread-safe.
 */
final class JwtDecoder {
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

  private final ObjectMapper json;

  JwtDecoder(ObjectMapper json) {
    this.json = Objects.requireNonNull(json, "json");
  }

  /** The decoded token. */
  record DecodedJwt(ObjectNode header, ObjectNode payload, boolean signed) {
    DecodedJwt {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(payload, "payload");
    }
  }

  /** Why input is not a decodable JWT; the message is safe to print. */
  static final class NotAJwtException extends Exception {
    private static final long serialVersionUID = 1L;

    NotAJwtException(String message) {
      super(message);
    }
  }

  /**
   * Decodes {@code token} (surrounding whitespace ignored).
   *
   * @throws NotAJwtException when it is not three base64url segments whose first two are JSON
   *     objects
   */
  DecodedJwt decode(String token) throws NotAJwtException {
    String compact = token.strip();
    if (compact.isEmpty()) {
      throw new NotAJwtException("no token given (empty input)");
    }
    String[] segments = compact.split("\\.", -1);
    if (segments.length == 5) {
      throw new NotAJwtException(
          "this is an encrypted JWT (JWE, 5 segments); its claims cannot be read without the key");
    }
    if (segments.length != 3) {
      throw new NotAJwtException(
          "not a JWT: expected 3 segments separated by '.', found " + segments.length);
    }
    ObjectNode header = jsonObject(segments[0], "header");
    ObjectNode payload = jsonObject(segments[1], "payload");
    checkBase64Url(segments[2], "signature");
    return new DecodedJwt(header, payload, !segments[2].isEmpty());
  }

  private ObjectNode jsonObject(String segment, String name) throws NotAJwtException {
    if (segment.isEmpty()) {
      throw new NotAJwtException("not a JWT: the " + name + " segment is empty");
    }
    byte[] bytes = checkBase64Url(segment, name);
    JsonNode node;
    try {
      node = json.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new NotAJwtException(
          "not a JWT: the " + name + " is not JSON (" + e.getOriginalMessage() + ")");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new NotAJwtException("not a JWT: the " + name + " is JSON but not an object");
    }
    return object;
  }

  private static byte[] checkBase64Url(String segment, String name) throws NotAJwtException {
    if (!BASE64URL.matcher(segment).matches()) {
      throw new NotAJwtException(
          "not a JWT: the "
              + name
              + " segment is not base64url (only A-Z a-z 0-9 - _ are allowed, no padding)");
    }
    try {
      return Base64.getUrlDecoder().decode(segment);
    } catch (IllegalArgumentException e) {
      throw new NotAJwtException(
          "not a JWT: the " + name + " segment is not valid base64url (bad length)");
    }
  }
}
