package dev.openwif.server.dashboard;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's server-side sessions, in memory: a random 256-bit id (the cookie value) maps to
 * the admin key id that signed in, the session's CSRF token and its times. The admin key itself is
 * never kept. A session ends after {@link DashboardSettings#idleTimeout()} without use, after
 * {@link DashboardSettings#absoluteTimeout()} in any case, or at sign-out. Sessions do not survive
 * a restart and are not shared between nodes. Thread-safe.
 */
public final class DashboardSessions {
  /** One signed-in browser. Immutable; {@code lastSeen} moves by replacing the entry. */
  public record Session(
      String id, String csrfToken, String adminKeyId, Instant createdAt, Instant lastSeen) {
    public Session {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(csrfToken, "csrfToken");
      Objects.requireNonNull(adminKeyId, "adminKeyId");
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(lastSeen, "lastSeen");
    }

    @Override
    public String toString() {
      return "Session[adminKeyId=" + adminKeyId + ", createdAt=" + createdAt + "]";
    }

    /** Whether {@code presented} is this session's CSRF token, compared in constant time. */
    public boolean csrfMatches(String presented) {
      return MessageDigest.isEqual(
          csrfToken.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          presented.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  private final DashboardSettings settings;
  private final Clock clock;
  private final SecureRandom random;

  public DashboardSessions(DashboardSettings settings, Clock clock, SecureRandom random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Opens a session for the admin key {@code adminKeyId}. When the table is full, expired sessions
   * are dropped first, then the oldest.
   */
  public Session open(String adminKeyId) {
    Instant now = clock.instant();
    if (sessions.size() >= settings.maxSessions()) {
      sessions.values().removeIf(s -> expired(s, now));
      while (sessions.size() >= settings.maxSessions()) {
        sessions.values().stream()
            .min(java.util.Comparator.comparing(Session::createdAt))
            .ifPresent(oldest -> sessions.remove(oldest.id()));
      }
    }
    Session session = new Session(randomToken(), randomToken(), adminKeyId, now, now);
    sessions.put(session.id(), session);
    return session;
  }

  /**
   * The live session with this id, its idle clock restarted; empty (and the session forgotten) when
   * it is unknown or has expired.
   */
  public Optional<Session> touch(String id) {
    Instant now = clock.instant();
    Session[] result = new Session[1];
    sessions.computeIfPresent(
        id,
        (key, s) -> {
          if (expired(s, now)) {
            return null;
          }
          Session touched = new Session(s.id(), s.csrfToken(), s.adminKeyId(), s.createdAt(), now);
          result[0] = touched;
          return touched;
        });
    return Optional.ofNullable(result[0]);
  }

  /** Ends the session with this id, if any (sign-out). */
  public void end(String id) {
    sessions.remove(id);
  }

  /** How many sessions are held (expired ones included until they are looked at). */
  public int size() {
    return sessions.size();
  }

  private boolean expired(Session s, Instant now) {
    return !now.isBefore(s.lastSeen().plus(settings.idleTimeout()))
        || !now.isBefore(s.createdAt().plus(settings.absoluteTimeout()));
  }

  /** 256 random bits, base64url without padding (43 characters). */
  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
