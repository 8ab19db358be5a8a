package dev.openwif.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a tar archive (POSIX ustar with pax extended headers, as Jib writes them) entry by entry:
 * enough to look into the image tarball and its layers without a tar program. Not thread-safe.
 */
final class TarArchive {
  /** One entry: its path without a leading {@code /} or trailing {@code /}, and its content. */
  @SuppressWarnings("ArrayRecordComponent") // read once, compared by path
  record Entry(String path, char type, int mode, long uid, long gid, byte[] content) {
    boolean isDirectory() {
      return type == '5';
    }

    boolean isFile() {
      return type == '0' || type == '\0';
    }
  }

  private TarArchive() {}

  /** Every entry of the archive, in order; pax headers are applied to the entry they precede. */
  static List<Entry> read(InputStream in) throws IOException {
    List<Entry> entries = new ArrayList<>();
    String paxPath = null;
    byte[] header = new byte[512];
    while (readBlock(in, header)) {
      if (isZero(header)) {
        break;
      }
      String name = text(header, 0, 100);
      String prefix = text(header, 345, 155);
      char type = (char) header[156];
      long size = octal(header, 124, 12);
      byte[] content = readContent(in, size);
      if (type == 'x') {
        paxPath = paxValue(new String(content, StandardCharsets.UTF_8), "path");
        continue;
      }
      String path = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
      paxPath = null;
      path = path.replaceAll("^/+", "").replaceAll("^\\./", "").replaceAll("/+$", "");
      entries.add(
          new Entry(
              path,
              type,
              (int) octal(header, 100, 8) & 07777, // some writers add the file type bits
              octal(header, 108, 8),
              octal(header, 116, 8),
              content));
    }
    return entries;
  }

  private static byte[] readContent(InputStream in, long size) throws IOException {
    if (size > Integer.MAX_VALUE - 512) {
      throw new IOException("tar entry too large: " + size + " bytes");
    }
    byte[] content = in.readNBytes((int) size);
    if (content.length != size) {
      throw new EOFException("tar entry cut short");
    }
    in.skipNBytes((512 - size % 512) % 512);
    return content;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int read = in.readNBytes(block, 0, block.length);
    return read == block.length;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) {
    String digits = text(header, offset, length).strip();
    return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
  }

  /** A pax record set is lines "LENGTH KEY=VALUE\n"; null when the key is not there. */
  private static String paxValue(String records, String key) {
    for (String line : records.split("\n")) {
      int space = line.indexOf(' ');
      int equals = line.indexOf('=');
      if (space > 0 && equals > space && line.substring(space + 1, equals).equals(key)) {
        return line.substring(equals + 1);
      }
    }
    return null;
  }
}
