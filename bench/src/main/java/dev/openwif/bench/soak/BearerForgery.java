package dev.openwif.bench.soak;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Hostile bearer tokens for the {@code /v1} gateway, made from a real access token the server
 * minted: the gateway must refuse every one. Thread-safe.
 */
final class BearerForgery {
  /**
   * The kinds {@link #hostile} makes; {@code expired} (a real token past its {@code exp}) and
   * {@code admin_key} are made by the driver.
   */
  static final List<String> KINDS =
      List.of(
          "forged_signature",
          "tampered_payload",
          "alg_none",
          "hs256_with_public_key",
          "signature_stripped",
          "garbage");

  private final ECKey stranger = TestKeys.ec256();
  private final String serverJwksJson;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param serverJwksJson the server's published JWKS (the secret of the HS256 confusion attack)
   */
  BearerForgery(String serverJwksJson) {
    this.serverJwksJson = Objects.requireNonNull(serverJwksJson, "serverJwksJson");
  }

  /** A hostile variant of {@code real} (a valid access token) of this kind. */
  String hostile(String kind, String real) {
    String[] parts = real.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a compact JWS");
    }
    String headerJson = new Base64URL(parts[0]).decodeToString();
    String payloadJson = new Base64URL(parts[1]).decodeToString();
    Map<String, Object> header = parse(headerJson);
    String kid = String.valueOf(header.get("kid"));
    String typ = String.valueOf(header.get("typ"));
    return switch (kind) {
      case "forged_signature" ->
          TokenBuilder.signedBy(stranger)
              .kid(kid)
              .header("typ", typ)
              .rawPayloadJson(payloadJson)
              .build();
      case "tampered_payload" -> {
        Map<String, Object> claims = parse(payloadJson);
        Object exp = claims.get("exp");
        claims.put("exp", (exp instanceof Number n ? n.longValue() : 0L) + 86_400);
        claims.put("sub", "soak-escalated");
        yield parts[0] + "." + b64(JSONObjectUtils.toJSONString(claims)) + "." + parts[2];
      }
      case "alg_none" ->
          b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"" + typ + "\"}")
              + "."
              + parts[1]
              + ".";
      case "hs256_with_public_key" ->
          TokenBuilder.signedBy(stranger)
              .alg("HS256")
              .kid(kid)
              .header("typ", typ)
              .hmacSecret(serverJwksJson.getBytes(StandardCharsets.UTF_8))
              .rawPayloadJson(payloadJson)
              .build();
      case "signature_stripped" -> parts[0] + "." + parts[1] + ".";
      case "garbage" -> {
        byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        yield Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      }
      default -> throw new IllegalArgumentException("unknown bearer kind " + kind);
    };
  }

  private static Map<String, Object> parse(String json) {
    try {
      return JSONObjectUtils.parse(json);
    } catch (ParseException e) {
      throw new IllegalArgumentException("token segment is not JSON", e);
    }
  }

  private static String b64(String text) {
    return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
