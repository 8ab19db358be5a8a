package dev.openwif.store;

import dev.openwif.federation.ReplayMemory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay protection shared by every node on one PostgreSQL database: the {@code subject_token_uses}
 * table, one row per admitted token hash until its {@code forget_after}. An admission is one
 * auto-committed statement, one round trip: insert the hash, or on conflict take over the row only
 * when it has expired, and return a row when this caller now owns it. Two nodes admitting one token
 * at once meet on the primary key: the second waits for the first's row and finds it unexpired, so
 * exactly one is {@link Admission#FIRST_USE}. A database that does not answer within {@link
 * #STATEMENT_TIMEOUT} (or no pooled connection in time) is {@link Admission#UNAVAILABLE}: the token
 * is not admitted (fail closed). Thread-safe.
 */
final class JdbcReplayMemory implements ReplayMemory {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcReplayMemory.class);

  /** The longest one admission waits for the database once it has a connection. */
  static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);

  /** Expired rows deleted per statement by {@link #purgeExpired}, so no purge holds locks long. */
  static final int PURGE_BATCH = 10_000;

  /** Batches one {@link #purgeExpired(Instant)} runs at most (a million rows). */
  static final int PURGE_MAX_BATCHES = 100;

  private static final String ADMIT =
      "INSERT INTO subject_token_uses (token_hash, provider_id, forget_after) VALUES (:hash,"
          + " :provider, :until) ON CONFLICT (token_hash) DO UPDATE SET provider_id ="
          + " excluded.provider_id, forget_after = excluded.forget_after WHERE"
          + " subject_token_uses.forget_after <= :now RETURNING forget_after";

  private static final String FORGET =
      "DELETE FROM subject_token_uses WHERE token_hash = :hash AND forget_after = :until";

  /**
   * The outer condition on {@code forget_after} too: a row another node took over between the
   * subquery and the delete (a new use of a token whose old use expired) is no longer expired and
   * must stay.
   */
  private static final String PURGE =
      "DELETE FROM subject_token_uses WHERE forget_after <= :now AND token_hash IN (SELECT"
          + " token_hash FROM subject_token_uses WHERE forget_after <= :now LIMIT "
          + PURGE_BATCH
          + ")";

  private final Database db;
  private final Clock clock;
  private final LogThrottle failures = new LogThrottle(Duration.ofSeconds(10));

  JdbcReplayMemory(Database db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Admission admit(String providerId, String tokenHash, Instant forgetAfter) {
    Instant now = clock.instant();
    if (!forgetAfter.isAfter(now)) {
      return Admission.TOO_LATE;
    }
    try {
      Optional<Long> owned =
          db.autoCommitted(
              h ->
                  h.createQuery(ADMIT)
                      .setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds())
                      .bind("hash", tokenHash)
                      .bind("provider", providerId)
                      .bind("until", forgetAfter.toEpochMilli())
                      .bind("now", now.toEpochMilli())
                      .mapTo(Long.class)
                      .findOne());
      return owned.isPresent() ? Admission.FIRST_USE : Admission.REPLAYED;
    } catch (RuntimeException e) {
      warn("admission", e);
      return Admission.UNAVAILABLE;
    }
  }

  @Override
  public void forget(String providerId, String tokenHash, Instant forgetAfter) {
    try {
      db.autoCommitted(
          h ->
              h.createUpdate(FORGET)
                  .setQueryTimeout((int) STATEMENT_TIMEOUT.toSeconds())
                  .bind("hash", tokenHash)
                  .bind("until", forgetAfter.toEpochMilli())
                  .execute());
    } catch (RuntimeException e) {
      warn("give-back", e); // the token stays used up: fails closed
    }
  }

  /**
   * Deletes the rows expired at {@code now}, {@link #PURGE_BATCH} at a time, until none is left or
   * {@link #PURGE_MAX_BATCHES} ran; returns how many were deleted. Safe on several nodes at once.
   */
  @Override
  public int purgeExpired(Instant now) {
    return purgeExpired(now, PURGE_MAX_BATCHES);
  }

  int purgeExpired(Instant now, int maxBatches) {
    int total = 0;
    for (int i = 0; i < maxBatches; i++) {
      int deleted =
          db.autoCommitted(h -> h.createUpdate(PURGE).bind("now", now.toEpochMilli()).execute());
      total += deleted;
      if (deleted < PURGE_BATCH) {
        break;
      }
    }
    return total;
  }

  /** Rows held now, expired or not (for tests and sizing). */
  long rows() {
    return db.read(
        h -> h.createQuery("SELECT COUNT(*) FROM subject_token_uses").mapTo(Long.class).one());
  }

  @Override
  public String kind() {
    return "postgresql";
  }

  private void warn(String what, RuntimeException e) {
    long held = failures.admit();
    if (held >= 0) {
      LOG.warn(
          "shared replay memory {} failed ({} more since the last warning): {}",
          what,
          held,
          AuditWriteFailures.describe(e));
    }
  }
}
