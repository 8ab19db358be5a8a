package dev.openwif.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Renders a {@link JwtDecoder.DecodedJwt} for people: header and payload as pretty JSON, the
 * NumericDate claims (RFC 7519 §2, §4.1.4-4.1.6; OIDC Core {@code auth_time}) also as ISO-8601 UTC,
 * the expiry status against the injected clock, and a plain statement that the signature was not
 * verified. Thread-safe.
 */
final class JwtDecodeReport {
  static final String NOT_VERIFIED =
      "Signature NOT verified (decoded locally; the token was not sent anywhere).";
  private static final List<String> TIME_CLAIMS = List.of("iat", "nbf", "exp", "auth_time");

  private final ObjectMapper json;
  private final Clock clock;

  JwtDecodeReport(ObjectMapper json, Clock clock) {
    this.json = Objects.requireNonNull(json, "json");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  String render(JwtDecoder.DecodedJwt jwt) {
    StringBuilder out = new StringBuilder();
    out.append("Header:\n").append(pretty(jwt.header())).append('\n');
    out.append("Payload:\n").append(pretty(jwt.payload())).append('\n');
    Instant now = clock.instant();
    StringBuilder times = new StringBuilder();
    for (String claim : TIME_CLAIMS) {
      JsonNode value = jwt.payload().get(claim);
      if (value == null) {
        continue;
      }
      String human =
          value.isNumber() ? Instant.ofEpochSecond(value.asLong()).toString() : "(not a number)";
      times.append(String.format("  %-9s %-12s %s%n", claim, value.asText(), human));
    }
    if (!times.isEmpty()) {
      out.append("Times (UTC):\n").append(times);
    }
    out.append("Status: ").append(status(jwt.payload(), now)).append('\n');
    if (!jwt.signed()) {
      out.append("The token has no signature (an unsecured JWT, RFC 7519 §6).\n");
    }
    out.append(NOT_VERIFIED).append('\n');
    return out.toString();
  }

  private static String status(JsonNode payload, Instant now) {
    JsonNode exp = payload.get("exp");
    JsonNode nbf = payload.get("nbf");
    if (nbf != null && nbf.isNumber() && Instant.ofEpochSecond(nbf.asLong()).isAfter(now)) {
      return "NOT YET VALID, nbf in "
          + human(Duration.between(now, Instant.ofEpochSecond(nbf.asLong())));
    }
    if (exp == null) {
      return "no exp claim: the token never expires";
    }
    if (!exp.isNumber()) {
      return "exp is not a number: the token is malformed";
    }
    Instant expiry = Instant.ofEpochSecond(exp.asLong());
    return expiry.isAfter(now)
        ? "expires in " + human(Duration.between(now, expiry))
        : "EXPIRED " + human(Duration.between(expiry, now)) + " ago";
  }

  /** {@code 45 s}, {@code 52 min}, {@code 3 h}, {@code 3 h 5 min}, {@code 4 d}. */
  static String human(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3_600) {
      return seconds / 60 + " min";
    }
    if (seconds < 172_800) {
      long hours = seconds / 3_600;
      long minutes = (seconds % 3_600) / 60;
      return minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
    }
    return seconds / 86_400 + " d";
  }

  private String pretty(JsonNode node) {
    return pretty(json, node);
  }

  /**
   * {@code node} as indented JSON, {@code "name": value} (no space before the colon), members in
   * the token's own order: the one JSON layout of {@code wif token decode}, with or without {@code
   * --json}.
   */
  static String pretty(ObjectMapper json, JsonNode node) {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    try {
      return json.writer(printer).writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree could not be written back", e);
    }
  }
}
