package dev.openwif.server.dashboard;

import java.time.Duration;
import java.util.Objects;

/**
 * How dashboard sessions behave.
 *
 * @param idleTimeout a session unused this long ends
 * @param absoluteTimeout a session ends this long after sign-in, used or not
 * @param secureCookie whether the session cookie carries {@code Secure}: true when the server's
 *     public URL is https (a TLS-terminating proxy in front), so the browser never sends it in
 *     clear
 * @param maxSessions how many sessions may be open at once (bounded memory)
 */
public record DashboardSettings(
    Duration idleTimeout, Duration absoluteTimeout, boolean secureCookie, int maxSessions) {
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
  public static final Duration DEFAULT_ABSOLUTE_TIMEOUT = Duration.ofHours(8);
  public static final int DEFAULT_MAX_SESSIONS = 10_000;

  public DashboardSettings {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(absoluteTimeout, "absoluteTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
    if (absoluteTimeout.compareTo(idleTimeout) < 0) {
      throw new IllegalArgumentException("absoluteTimeout must not be shorter than idleTimeout");
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1");
    }
  }

  /** The defaults; {@code Secure} cookies when the public URL is https. */
  public static DashboardSettings forPublicUrl(String publicUrl) {
    return new DashboardSettings(
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_ABSOLUTE_TIMEOUT,
        publicUrl.regionMatches(true, 0, "https://", 0, 8),
        DEFAULT_MAX_SESSIONS);
  }
}
