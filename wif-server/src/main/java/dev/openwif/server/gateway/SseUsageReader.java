package dev.openwif.server.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads Server-Sent Events (the WHATWG event stream format) as they pass, for {@link UsageTap}:
 * lines end with CR, LF or CRLF; an event's {@code data:} lines are joined with LF and the event is
 * dispatched at an empty line. Only the data of an event that mentions {@code "usage"} is scanned
 * ({@link UsageScanner}); {@code [DONE]} and other events cost a line split. A line longer than
 * {@link #MAX_LINE} bytes, or an event's data longer than that, is skipped, so memory stays bounded
 * whatever the upstream sends. The model is the first one an event names; the usage, the last one
 * reported. Not thread-safe.
 */
final class SseUsageReader implements UsageTap {
  /** Longest line, and longest event data, read (1 MiB). */
  static final int MAX_LINE = 1 << 20;

  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lineTooLong;
  private boolean afterCr;

  private byte[] data = new byte[256];
  private int dataLength;
  private boolean dataLines;
  private boolean dataTooLong;

  private Optional<String> model = Optional.empty();
  private int modelLookups;
  private Usage last = Usage.NONE;

  /** Events without usage read for a model at most (the first ones name it, if any does). */
  private static final int MODEL_LOOKUPS = 8;

  @Override
  public void accept(byte[] bytes, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte b = bytes[i];
      if (b == '\n' && afterCr) {
        afterCr = false; // the LF of a CRLF
        continue;
      }
      afterCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endOfLine();
      } else if (!lineTooLong) {
        if (lineLength == MAX_LINE) {
          lineTooLong = true;
        } else {
          if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
          }
          line[lineLength++] = b;
        }
      }
    }
  }

  @Override
  public void end() {
    // an event is dispatched only at its empty line: a stream cut before it reports nothing more
  }

  @Override
  public Usage usage() {
    return new Usage(
        model.or(last::model), last.inputTokens(), last.outputTokens(), last.reported());
  }

  private void endOfLine() {
    if (lineTooLong) {
      dataTooLong |= dataLines || startsWithData();
      lineTooLong = false;
      lineLength = 0;
      return;
    }
    if (lineLength == 0) {
      dispatch();
    } else if (startsWithData()) {
      int start = DATA.length;
      if (lineLength > start && line[start] == ':') {
        start++;
        if (lineLength > start && line[start] == ' ') {
          start++;
        }
        appendData(start);
      } else if (lineLength == start) {
        appendData(start); // "data" alone: an empty data line
      }
    }
    lineLength = 0;
  }

  private boolean startsWithData() {
    if (lineLength < DATA.length) {
      return false;
    }
    for (int i = 0; i < DATA.length; i++) {
      if (line[i] != DATA[i]) {
        return false;
      }
    }
    return lineLength == DATA.length || line[DATA.length] == ':';
  }

  private void appendData(int from) {
    int n = lineLength - from;
    int needed = dataLength + (dataLines ? 1 : 0) + n;
    if (dataTooLong || needed > MAX_LINE) {
      dataTooLong = true;
      dataLines = true;
      return;
    }
    if (needed > data.length) {
      data = Arrays.copyOf(data, Math.min(MAX_LINE, Math.max(needed, data.length * 2)));
    }
    if (dataLines) {
      data[dataLength++] = '\n';
    }
    System.arraycopy(line, from, data, dataLength, n);
    dataLength += n;
    dataLines = true;
  }

  private void dispatch() {
    if (dataLines && !dataTooLong && contains(data, dataLength, USAGE)) {
      UsageScanner scanner = new UsageScanner();
      scanner.feed(data, 0, dataLength);
      scanner.end();
      if (model.isEmpty()) {
        model = scanner.model();
      }
      if (scanner.sawUsage()) {
        last = new Usage(scanner.model(), scanner.inputTokens(), scanner.outputTokens(), true);
      }
    } else if (dataLines && !dataTooLong && model.isEmpty() && modelLookups < MODEL_LOOKUPS) {
      modelLookups++;
      model = modelOf(data, dataLength);
    }
    dataLength = 0;
    dataLines = false;
    dataTooLong = false;
    if (data.length > 4096) {
      data = new byte[256]; // do not keep a large buffer for the rest of a long stream
    }
    if (line.length > 4096) {
      line = new byte[256];
    }
  }

  /** The model of an event without usage (the first events of a stream). */
  private static Optional<String> modelOf(byte[] bytes, int length) {
    UsageScanner scanner = new UsageScanner();
    scanner.feed(bytes, 0, length);
    scanner.end();
    return scanner.model();
  }

  private static boolean contains(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
