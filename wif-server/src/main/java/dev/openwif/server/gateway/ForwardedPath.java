package dev.openwif.server.gateway;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a request's raw path that is sent upstream, only when the raw path is exactly the
 * path that routing matched and authorization checked. The server routes on a decoded, normalised
 * path ({@code /v1/a/../b} is matched as {@code /v1/b}; {@code ;} parameters are stripped), so a
 * raw path that normalising or decoding would change is refused instead of forwarded: otherwise an
 * upstream could be asked for a path that no scope check saw. Refused: anything not starting {@code
 * /v1/}, empty / {@code .} / {@code ..} segments, {@code ;}, {@code \}, and percent-encoded {@code
 * /}, {@code \}, {@code .}, {@code ;} or {@code %}. Stateless.
 */
final class ForwardedPath {
  private static final String PREFIX = "/v1";
  private static final Set<String> ENCODED_SEPARATORS = Set.of("%2f", "%5c", "%2e", "%3b", "%25");

  private ForwardedPath() {}

  /** The raw path after {@code /v1} (starting with {@code /}), or empty when it is refused. */
  static Optional<String> of(String rawPath) {
    if (!rawPath.startsWith(PREFIX + "/")) {
      return Optional.empty();
    }
    String rest = rawPath.substring(PREFIX.length());
    if (rest.indexOf(';') >= 0 || rest.indexOf('\\') >= 0) {
      return Optional.empty();
    }
    String lower = rest.toLowerCase(Locale.ROOT);
    for (String encoded : ENCODED_SEPARATORS) {
      if (lower.contains(encoded)) {
        return Optional.empty();
      }
    }
    String[] segments = rest.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if ((segment.isEmpty() && !last) || segment.equals(".") || segment.equals("..")) {
        return Optional.empty();
      }
    }
    return Optional.of(rest);
  }
}
