package dev.openwif.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads a request body with a hard size cap: a declared {@code Content-Length} over the cap is
 * refused before reading, and a chunked or lying body is cut off as soon as it passes the cap, so
 * no more than {@code limit + 1} bytes are ever buffered. Thread-safe (stateless).
 */
public final class BoundedBody {
  /** The admin API's limit: 64 KiB. */
  public static final int ADMIN_LIMIT = 64 * 1024;

  private final int limit;

  public BoundedBody(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }

  /** The whole body (empty when there is none); throws {@link TooLarge} past the limit. */
  public byte[] read(ServerRequest req) {
    var declared = req.headers().value(HeaderNames.CONTENT_LENGTH);
    if (declared.isPresent()) {
      try {
        if (Long.parseLong(declared.get().trim()) > limit) {
          throw new TooLarge(limit);
        }
      } catch (NumberFormatException e) {
        // Helidon refuses a malformed Content-Length itself; reading below still enforces the cap.
      }
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
      byte[] buffer = new byte[8192];
      int total = 0;
      for (int n; (n = in.read(buffer)) != -1; ) {
        total += n;
        if (total > limit) {
          throw new TooLarge(limit);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body passed the limit; answer 413. */
  public static final class TooLarge extends RuntimeException {
    private final long limit;

    public TooLarge(long limit) {
      super("request body larger than " + limit + " bytes", null, false, false);
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }
}
