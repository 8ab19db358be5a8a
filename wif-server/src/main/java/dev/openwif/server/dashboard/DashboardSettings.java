package dev.openwif.server.dashboard;

import dev.openwif.server.http.PublicUrl;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How dashboard sessions behave and where browsers reach the dashboard. Immutable; thread-safe.
 *
 * @param idleTimeout a session unused this long ends
 * @param absoluteTimeout a session ends this long after sign-in, used or not
 * @param secureCookie whether the session cookie carries {@code Secure}: true when the server's
 *     public URL is https (a TLS-terminating proxy in front), so the browser never sends it in
 *     clear
 * @param maxSessions how many sessions may be open at once (bounded memory)
 * @param basePath the path browsers see the dashboard under, the public URL's path followed by
 *     {@link Dashboard#PREFIX} ({@code /wif/dashboard} for {@code https://gw.example.com/wif}): the
 *     start of every link, form action and redirect the dashboard writes, and its cookie's {@code
 *     Path}
 */
public record DashboardSettings(
    Duration idleTimeout,
    Duration absoluteTimeout,
    boolean secureCookie,
    int maxSessions,
    String basePath) {
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
  public static final Duration DEFAULT_ABSOLUTE_TIMEOUT = Duration.ofHours(8);
  public static final int DEFAULT_MAX_SESSIONS = 10_000;

  /** Segments as a public URL's path may hold them ({@link PublicUrl#parse}), then the prefix. */
  private static final Pattern BASE_PATH =
      Pattern.compile("(/(?!\\.\\.?/)[A-Za-z0-9._~-]+)*" + Pattern.quote(Dashboard.PREFIX));

  public DashboardSettings {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(absoluteTimeout, "absoluteTimeout");
    Objects.requireNonNull(basePath, "basePath");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
    if (absoluteTimeout.compareTo(idleTimeout) < 0) {
      throw new IllegalArgumentException("absoluteTimeout must not be shorter than idleTimeout");
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1");
    }
    if (!BASE_PATH.matcher(basePath).matches()) {
      throw new IllegalArgumentException(
          "basePath must be a path of letters, digits and - . _ ~ between single slashes ending in "
              + Dashboard.PREFIX
              + ": "
              + basePath);
    }
  }

  /**
   * The defaults for the server's public URL (checked by {@link PublicUrl#parse}): {@code Secure}
   * cookies when it is https, the dashboard under its path.
   *
   * @throws IllegalArgumentException when {@code publicUrl} is not a usable public URL
   */
  public static DashboardSettings forPublicUrl(String publicUrl) {
    PublicUrl url = PublicUrl.parse(publicUrl);
    return new DashboardSettings(
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_ABSOLUTE_TIMEOUT,
        url.origin().startsWith("https://"),
        DEFAULT_MAX_SESSIONS,
        url.path() + Dashboard.PREFIX);
  }
}
