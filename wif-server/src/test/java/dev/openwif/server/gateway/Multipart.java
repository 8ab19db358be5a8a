package dev.openwif.server.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of {@code multipart/form-data} for a test upstream to find one named part in a body
 * held in memory, byte for byte. Stateless and thread-safe.
 */
final class Multipart {
  /** A part's file name (empty when it has none) and its content (the caller's copy). */
  static final class Part {
    private final String filename;
    private final byte[] content;

    Part(String filename, byte[] content) {
      this.filename = filename;
      this.content = content;
    }

    String filename() {
      return filename;
    }

    byte[] content() {
      return content;
    }
  }

  private static final Pattern NAME = Pattern.compile("(?i)\\bname=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("(?i)\\bfilename=\"([^\"]*)\"");
  private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private Multipart() {}

  /** The part named {@code name} in {@code body}, delimited by {@code boundary}. */
  static Optional<Part> part(byte[] body, String boundary, String name) {
    if (boundary.isEmpty()) {
      return Optional.empty();
    }
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int headersStart = at + delimiter.length + 2; // after "--boundary\r\n"
      int headersEnd = indexOf(body, HEADER_END, headersStart);
      if (headersEnd < 0) {
        return Optional.empty();
      }
      int contentStart = headersEnd + HEADER_END.length;
      int contentEnd = indexOf(body, nextDelimiter, contentStart);
      if (contentEnd < 0) {
        return Optional.empty();
      }
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      Matcher partName = NAME.matcher(headers);
      if (partName.find() && partName.group(1).equals(name)) {
        Matcher filename = FILENAME.matcher(headers);
        return Optional.of(
            new Part(
                filename.find() ? filename.group(1) : "",
                Arrays.copyOfRange(body, contentStart, contentEnd)));
      }
      at = contentEnd + 2; // the next "--boundary"
    }
    return Optional.empty();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
