package dev.openwif.server.gateway;

import java.util.Locale;
import java.util.Optional;

/**
 * Watches an upstream answer's body as the proxy relays it, chunk by chunk, for the model and the
 * token usage the upstream reports; it never holds the body. {@link #forContentType} picks the
 * reading: a JSON body ({@code application/json}) is scanned as one document ({@link
 * UsageScanner}); a stream ({@code text/event-stream}) event by event ({@link SseUsageReader}),
 * keeping the last usage an event reported (the final {@code response.completed} event, or the chat
 * chunk carrying {@code usage}); any other body is not read. Not thread-safe (one per answer).
 */
interface UsageTap {
  /** The next {@code len} bytes of the body, relayed already; not kept. */
  void accept(byte[] bytes, int off, int len);

  /** The body ended (or was cut: the tap then reports what it saw). */
  void end();

  /** What was found; empty values and zero counts when nothing was. */
  Usage usage();

  /**
   * The model and tokens an answer reported.
   *
   * @param reported whether a {@code usage} object was read
   */
  record Usage(Optional<String> model, long inputTokens, long outputTokens, boolean reported) {
    static final Usage NONE = new Usage(Optional.empty(), 0, 0, false);
  }

  /** A tap for a body of {@code contentType}; a body that is not JSON or SSE gets {@link #NONE}. */
  static UsageTap forContentType(Optional<String> contentType) {
    String type =
        contentType.map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse("");
    if (type.equals("application/json") || type.endsWith("+json")) {
      return new JsonTap();
    }
    if (type.equals("text/event-stream")) {
      return new SseUsageReader();
    }
    return NONE;
  }

  /** Reads nothing. */
  UsageTap NONE =
      new UsageTap() {
        @Override
        public void accept(byte[] bytes, int off, int len) {}

        @Override
        public void end() {}

        @Override
        public Usage usage() {
          return Usage.NONE;
        }
      };

  /** A JSON body: one document. */
  final class JsonTap implements UsageTap {
    private final UsageScanner scanner = new UsageScanner();

    @Override
    public void accept(byte[] bytes, int off, int len) {
      scanner.feed(bytes, off, len);
    }

    @Override
    public void end() {
      scanner.end();
    }

    @Override
    public Usage usage() {
      return new Usage(
          scanner.model(), scanner.inputTokens(), scanner.outputTokens(), scanner.sawUsage());
    }
  }
}
