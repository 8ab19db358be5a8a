package dev.openwif.token;

import java.nio.charset.StandardCharsets;

/**
 * Writes a JWT claims set as compact JSON (RFC 8259) without a general-purpose serializer: string
 * members are escaped per RFC 8259 §7 (quotation mark, reverse solidus, control characters, and
 * unpaired surrogates as {@code \\uXXXX} so the UTF-8 output never carries a replacement
 * character), numbers are whole seconds. Members are written in call order; names are the caller's
 * constants. Not thread-safe: one instance per claims set.
 */
final class ClaimsJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final StringBuilder out = new StringBuilder(512).append('{');

  ClaimsJson string(String name, String value) {
    separator();
    appendQuoted(out, name);
    out.append(':');
    appendQuoted(out, value);
    return this;
  }

  ClaimsJson number(String name, long value) {
    separator();
    appendQuoted(out, name);
    out.append(':').append(value);
    return this;
  }

  byte[] toUtf8() {
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  static String quoted(String value) {
    StringBuilder quoted = new StringBuilder(value.length() + 2);
    appendQuoted(quoted, value);
    return quoted.toString();
  }

  private void separator() {
    if (out.length() > 1) {
      out.append(',');
    }
  }

  private static void appendQuoted(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || isUnpairedSurrogate(value, i)) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]);
        out.append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static boolean isUnpairedSurrogate(String value, int i) {
    char c = value.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
    }
    return false;
  }
}
