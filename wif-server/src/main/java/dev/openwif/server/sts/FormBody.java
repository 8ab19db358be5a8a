package dev.openwif.server.sts;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The strict request-body reading the token and introspection endpoints share: the media type of a
 * {@code Content-Type}, UTF-8 that refuses malformed input, and {@code
 * application/x-www-form-urlencoded} parameters where a repeated name is refused (RFC 6749 §3.1,
 * RFC 7662 §2.1) and an empty value counts as absent. Problems come out as {@link Malformed} with a
 * sentence for the client; a client-chosen name is quoted by {@link #shown}. Stateless;
 * thread-safe.
 */
final class FormBody {
  /** Longest piece of a client-chosen name quoted in a refusal (which the audit log keeps). */
  static final int MAX_SHOWN = 64;

  private FormBody() {}

  /** The media type of a {@code Content-Type} value: before any parameter, trimmed, lower case. */
  static String mediaType(String header) {
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  /** The form's parameters in order; empty values are left out. */
  static Map<String, String> parameters(byte[] body) {
    String text = strictUtf8(body);
    Map<String, String> params = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (!seen.add(name)) {
        throw new Malformed("Parameter " + shown(name) + " is repeated.");
      }
      if (!value.isEmpty()) {
        params.put(name, value);
      }
    }
    return params;
  }

  /** One percent-decoded form component. */
  static String decode(String encoded) {
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Malformed("The form body has an invalid percent-encoding.");
    }
  }

  /** The bytes as UTF-8, refusing malformed or unmappable input. */
  static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Malformed("The body is not valid UTF-8.");
    }
  }

  /**
   * A client-chosen name as a refusal quotes it: printable ASCII only (anything else becomes {@code
   * ?}), at most {@value #MAX_SHOWN} characters, so a 32 KiB or control-character name is never
   * stored verbatim in the audit log.
   */
  static String shown(String name) {
    StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_SHOWN + 1));
    for (int i = 0; i < name.length() && out.length() < MAX_SHOWN; i++) {
      char c = name.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return name.length() > MAX_SHOWN ? out + "…" : out.toString();
  }

  /** A malformed body, with the sentence for the client; internal control flow of the parsers. */
  static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String message;

    Malformed(String message) {
      super(message, null, false, false);
      this.message = message;
    }

    /** The message given at construction, never null. */
    @Override
    public String getMessage() {
      return message;
    }
  }
}
