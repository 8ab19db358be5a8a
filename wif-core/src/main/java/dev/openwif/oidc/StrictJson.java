package dev.openwif.oidc;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser that refuses duplicate member names.
 *
 * <p>Written by hand because no library on core's classpath rejects duplicates: Nimbus's {@code
 * JSONObjectUtils} (shaded Gson) keeps the last value, which lets an attacker show one {@code aud}
 * to one parser and another to the next (RFC 7515 §5.2 allows rejecting; we must). Numbers: an
 * integer without fraction or exponent that fits a {@code long} becomes {@link Long}, any other
 * number a {@link BigDecimal}. JSON {@code null} becomes {@link #NULL}. Nesting is capped at 32
 * levels.
 *
 * <p>Stateless per call; thread-safe.
 */
final class StrictJson {
  /** The JSON {@code null} value (so that maps can say "present but null"). */
  static final Object NULL = JsonNull.INSTANCE;

  private enum JsonNull {
    INSTANCE;

    @Override
    public String toString() {
      return "null";
    }
  }

  /** Whether {@code value} is the JSON {@code null}. */
  static boolean isNull(Object value) {
    return value instanceof JsonNull;
  }

  private static final int MAX_DEPTH = 32;

  /** Thrown for text that is not JSON. */
  static final class MalformedJsonException extends Exception {
    MalformedJsonException(String message) {
      super(message, null, false, false);
    }
  }

  /** Thrown when an object names a member twice. */
  static final class DuplicateMemberException extends Exception {
    private final String member;

    DuplicateMemberException(String member) {
      super("duplicate member \"" + member + "\"", null, false, false);
      this.member = member;
    }

    String member() {
      return member;
    }
  }

  private final String text;
  private int pos;

  private StrictJson(String text) {
    this.text = text;
  }

  /** Parses a whole document that must be a JSON object; nested objects are unmodifiable maps. */
  static Map<String, Object> parseObject(String text)
      throws MalformedJsonException, DuplicateMemberException {
    StrictJson parser = new StrictJson(text);
    parser.skipWhitespace();
    if (parser.peek() != '{') {
      throw new MalformedJsonException("not a JSON object");
    }
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.pos != text.length()) {
      throw new MalformedJsonException(
          "trailing characters after the JSON object at offset " + parser.pos);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    return map;
  }

  private Object value(int depth) throws MalformedJsonException, DuplicateMemberException {
    if (depth > MAX_DEPTH) {
      throw new MalformedJsonException("nested deeper than " + MAX_DEPTH + " levels");
    }
    skipWhitespace();
    char c = peek();
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", true);
      case 'f' -> literal("false", false);
      case 'n' -> literal("null", NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw new MalformedJsonException("unexpected character at offset " + pos);
      }
    };
  }

  private Map<String, Object> object(int depth)
      throws MalformedJsonException, DuplicateMemberException {
    pos++; // {
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(members);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw new MalformedJsonException("expected a member name at offset " + pos);
      }
      String name = string();
      skipWhitespace();
      expect(':');
      Object value = value(depth + 1);
      if (members.containsKey(name)) {
        throw new DuplicateMemberException(name);
      }
      members.put(name, value);
      skipWhitespace();
      char c = next();
      if (c == '}') {
        return Collections.unmodifiableMap(members);
      }
      if (c != ',') {
        throw new MalformedJsonException("expected , or } at offset " + (pos - 1));
      }
    }
  }

  private List<Object> array(int depth) throws MalformedJsonException, DuplicateMemberException {
    pos++; // [
    List<Object> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(items);
    }
    while (true) {
      items.add(value(depth + 1));
      skipWhitespace();
      char c = next();
      if (c == ']') {
        return Collections.unmodifiableList(items);
      }
      if (c != ',') {
        throw new MalformedJsonException("expected , or ] at offset " + (pos - 1));
      }
    }
  }

  private String string() throws MalformedJsonException {
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw new MalformedJsonException(
            "unescaped control character in a string at offset " + (pos - 1));
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(unicodeEscape());
        default -> throw new MalformedJsonException("invalid escape at offset " + (pos - 1));
      }
    }
  }

  private char unicodeEscape() throws MalformedJsonException {
    if (pos + 4 > text.length()) {
      throw new MalformedJsonException("truncated \\u escape");
    }
    int code = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos++), 16);
      if (digit < 0) {
        throw new MalformedJsonException("invalid \\u escape at offset " + (pos - 1));
      }
      code = code * 16 + digit;
    }
    return (char) code;
  }

  private Object number() throws MalformedJsonException {
    int start = pos;
    if (peekOrZero() == '-') {
      pos++;
    }
    if (peekOrZero() == '0') {
      pos++;
    } else if (isDigit(peekOrZero())) {
      digits();
    } else {
      throw new MalformedJsonException("invalid number at offset " + start);
    }
    boolean integral = true;
    if (peekOrZero() == '.') {
      pos++;
      integral = false;
      requireDigits(start);
    }
    if (peekOrZero() == 'e' || peekOrZero() == 'E') {
      pos++;
      integral = false;
      if (peekOrZero() == '+' || peekOrZero() == '-') {
        pos++;
      }
      requireDigits(start);
    }
    String literal = text.substring(start, pos);
    if (integral && literal.length() <= 18) {
      return Long.parseLong(literal);
    }
    BigDecimal decimal;
    try {
      decimal = new BigDecimal(literal);
    } catch (NumberFormatException outOfRange) {
      // e.g. 1e99999999999: the exponent does not fit BigDecimal's int scale
      throw new MalformedJsonException("number out of range at offset " + start);
    }
    if (integral) {
      try {
        return decimal.longValueExact();
      } catch (ArithmeticException tooBig) {
        return decimal;
      }
    }
    return decimal;
  }

  private void requireDigits(int start) throws MalformedJsonException {
    if (!isDigit(peekOrZero())) {
      throw new MalformedJsonException("invalid number at offset " + start);
    }
    digits();
  }

  private void digits() {
    while (isDigit(peekOrZero())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) throws MalformedJsonException {
    if (!text.startsWith(word, pos)) {
      throw new MalformedJsonException("invalid literal at offset " + pos);
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws MalformedJsonException {
    if (next() != c) {
      throw new MalformedJsonException("expected " + c + " at offset " + (pos - 1));
    }
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() throws MalformedJsonException {
    if (pos >= text.length()) {
      throw new MalformedJsonException("unexpected end of JSON");
    }
    return text.charAt(pos);
  }

  private char peekOrZero() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() throws MalformedJsonException {
    char c = peek();
    pos++;
    return c;
  }
}
