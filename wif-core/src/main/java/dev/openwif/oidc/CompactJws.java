package dev.openwif.oidc;

import dev.openwif.audit.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A compact JWS (RFC 7515 §7.1) split and decoded strictly: exactly three segments of canonical
 * base64url without padding (RFC 7515 §2, RFC 4648 §5), header and payload UTF-8 JSON objects
 * without duplicate member names. A five-segment JWE is refused as unsupported, not parsed.
 *
 * @param signingInput the ASCII bytes of {@code header.payload} as received
 */
// The arrays are only read, never compared: a CompactJws is parsed, verified and dropped, so the
// record's reference-based equals() on them is never used.
@SuppressWarnings("ArrayRecordComponent")
record CompactJws(
    Map<String, Object> header,
    Map<String, Object> payload,
    byte[] signingInput,
    byte[] signature) {

  static CompactJws parse(String token, int maxTokenBytes) {
    if (token.isEmpty()) {
      throw reject(ReasonCode.MALFORMED_TOKEN, "the token is empty");
    }
    if (token.length() > maxTokenBytes) {
      throw reject(
          ReasonCode.TOKEN_TOO_LARGE,
          "the token is " + token.length() + " bytes, the limit is " + maxTokenBytes);
    }
    String[] segments = token.split("\\.", -1);
    if (segments.length == 5) {
      throw reject(
          ReasonCode.UNSUPPORTED_TOKEN_FORMAT,
          "the token has 5 segments (JWE); only a signed JWT (JWS) is accepted");
    }
    if (segments.length != 3) {
      throw reject(
          ReasonCode.MALFORMED_TOKEN,
          "the token has " + segments.length + " segments, a JWS has 3");
    }
    byte[] headerBytes = decode(segments[0], "header");
    byte[] payloadBytes = decode(segments[1], "payload");
    byte[] signature = decode(segments[2], "signature");
    Map<String, Object> header = json(headerBytes, "header");
    Map<String, Object> payload = json(payloadBytes, "payload");
    byte[] signingInput = (segments[0] + "." + segments[1]).getBytes(StandardCharsets.US_ASCII);
    return new CompactJws(header, payload, signingInput, signature);
  }

  /**
   * The {@code kid} of the token's header, read without judging the rest of the token; empty when
   * the token is too large, its header does not decode strictly, or names no string {@code kid}.
   * Used to fetch keys before verification, which judges the token fully.
   */
  static java.util.Optional<String> kidHint(String token, int maxTokenBytes) {
    int dot = token.indexOf('.');
    if (token.length() > maxTokenBytes || dot <= 0) {
      return java.util.Optional.empty();
    }
    try {
      Map<String, Object> header = json(decode(token.substring(0, dot), "header"), "header");
      return header.get("kid") instanceof String kid
          ? java.util.Optional.of(kid)
          : java.util.Optional.empty();
    } catch (TokenRejectedException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Decodes base64url and refuses any non-canonical spelling (padding, {@code +/}, whitespace,
   * stray bits).
   */
  private static byte[] decode(String segment, String what) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        throw reject(
            ReasonCode.MALFORMED_TOKEN,
            "the " + what + " segment is not base64url (character at " + i + ")");
      }
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(segment);
      if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(segment)) {
        throw reject(
            ReasonCode.MALFORMED_TOKEN, "the " + what + " segment is not canonical base64url");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw reject(ReasonCode.MALFORMED_TOKEN, "the " + what + " segment is not valid base64url");
    }
  }

  private static Map<String, Object> json(byte[] bytes, String what) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw reject(ReasonCode.MALFORMED_TOKEN, "the " + what + " is not UTF-8");
    }
    try {
      return StrictJson.parseObject(text);
    } catch (StrictJson.DuplicateMemberException e) {
      throw reject(
          ReasonCode.DUPLICATE_JSON_MEMBER,
          "the " + what + " names member \"" + e.member() + "\" twice");
    } catch (StrictJson.MalformedJsonException e) {
      throw reject(
          ReasonCode.MALFORMED_TOKEN, "the " + what + " is not a JSON object: " + e.getMessage());
    }
  }

  private static TokenRejectedException reject(ReasonCode reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
