package dev.openwif.audit;

/**
 * The one rule every text stored in an audit event follows, whoever chose it: at most {@value
 * #MAX_LENGTH} characters (a longer text keeps its first {@value #MAX_LENGTH} − 1 and ends with
 * {@code …}) and printable (control, format, private-use, unassigned and line/paragraph separator
 * characters and lone surrogates each become {@code ?}), so a hostile client can neither fill the
 * audit log with a 32 KiB parameter name nor hide escape sequences or bidirectional overrides in
 * what an operator reads. Idempotent. Stateless.
 */
public final class AuditText {
  /** The longest text an audit event keeps, in UTF-16 characters. */
  public static final int MAX_LENGTH = 200;

  private static final char ELLIPSIS = '…';
  private static final char REPLACEMENT = '?';

  private AuditText() {}

  /** {@code text} made printable and cut to {@value #MAX_LENGTH} characters. */
  public static String clean(String text) {
    boolean cut = text.length() > MAX_LENGTH;
    int keep = cut ? MAX_LENGTH - 1 : MAX_LENGTH;
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH));
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      if (out.length() + width > keep) {
        cut = true;
        break;
      }
      if (printable(cp)) {
        out.appendCodePoint(cp);
      } else {
        out.append(REPLACEMENT);
      }
      i += width;
    }
    if (cut) {
      out.append(ELLIPSIS);
    }
    return out.toString();
  }

  private static boolean printable(int cp) {
    if (Character.isISOControl(cp)) {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.FORMAT,
          Character.PRIVATE_USE,
          Character.SURROGATE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          false;
      default -> true;
    };
  }
}
