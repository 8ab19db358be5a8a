package dev.openwif.store;

import dev.openwif.federation.ReplayMemory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay protection shared by every node on one PostgreSQL database: the {@code subject_token_uses}
 * table, one row per admitted token hash until its {@code forget_after} (Unix epoch milliseconds).
 * An admission is one auto-committed statement, one round trip: insert the hash, or on conflict
 * take over the row only when it has expired, and say whether this caller now owns it. Two nodes
 * admitting one token at once meet on the primary key: the second waits for the first's row and
 * finds it unexpired, so exactly one is {@link Admission#FIRST_USE}.
 *
 * <p>Whether a row has expired is decided by the database's clock ({@link #DATABASE_NOW}), never by
 * a node's: a node whose clock runs ahead would otherwise take over or purge rows the other nodes
 * still count on. A token whose {@code forgetAfter} has passed by either clock is {@link
 * Admission#TOO_LATE}: not admitted, since its row would count as expired at once.
 *
 * <p>Admissions and give-backs run on the store's admission pool ({@link Database#admission}, see
 * {@link PostgresConnector#admissionPool}): a statement the server has not finished within its
 * {@code statement_timeout} of 2 s (a lock held; the server cancels it itself, so no cancel request
 * has to get through), a database that does not answer at all within the pool's 3 s socket timeout
 * (the network cut), or no pooled connection within 1 s, is {@link Admission#UNAVAILABLE}: the
 * token is not admitted (fail closed). Thread-safe.
 */
final class JdbcReplayMemory implements ReplayMemory {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcReplayMemory.class);

  /** Expired rows deleted per statement by {@link #purgeExpired}, so no purge holds locks long. */
  static final int PURGE_BATCH = 10_000;

  /** Batches one {@link #purgeExpired()} runs at most (a million rows). */
  static final int PURGE_MAX_BATCHES = 100;

  /**
   * The database's time in Unix epoch milliseconds, as {@code forget_after} is stored. {@code
   * now()} is the start of the (auto-committed, one-statement) transaction: one value for the whole
   * statement.
   */
  static final String DATABASE_NOW = "floor(extract(epoch FROM now()) * 1000)::bigint";

  /**
   * Inserts the row unless {@code :until} has passed by the database's clock; on conflict takes
   * over an expired row. Answers whether a row was written and the database's time, to tell a
   * replay from a token too late.
   */
  private static final String ADMIT =
      "WITH admitted AS (INSERT INTO subject_token_uses (token_hash, provider_id, forget_after)"
          + " SELECT :hash, :provider, :until WHERE :until > "
          + DATABASE_NOW
          + " ON CONFLICT (token_hash) DO UPDATE SET provider_id = excluded.provider_id,"
          + " forget_after = excluded.forget_after WHERE subject_token_uses.forget_after <= "
          + DATABASE_NOW
          + " RETURNING 1) SELECT (SELECT COUNT(*) FROM admitted) AS admitted, "
          + DATABASE_NOW
          + " AS database_now";

  private static final String FORGET =
      "DELETE FROM subject_token_uses WHERE token_hash = :hash AND forget_after = :until";

  /**
   * How long past its expiry a row is kept before the purge deletes it: should the database's clock
   * step back (an NTP correction, a failover to a server whose clock is behind), a purged row's
   * token would look unexpired again and be admitted a second time. An expired row within this
   * grace is still taken over by a new admission of its key at once.
   */
  static final long PURGE_GRACE_MILLIS = Duration.ofMinutes(5).toMillis();

  /**
   * The outer condition on {@code forget_after} too: a row another node took over between the
   * subquery and the delete (a new use of a token whose old use expired) is no longer expired and
   * must stay.
   */
  private static final String PURGE =
      "DELETE FROM subject_token_uses WHERE forget_after <= "
          + DATABASE_NOW
          + " - "
          + PURGE_GRACE_MILLIS
          + " AND token_hash IN (SELECT token_hash FROM subject_token_uses WHERE forget_after <= "
          + DATABASE_NOW
          + " - "
          + PURGE_GRACE_MILLIS
          + " LIMIT "
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
    if (!forgetAfter.isAfter(clock.instant())) {
      return Admission.TOO_LATE; // no round trip for what this node already knows
    }
    long until = forgetAfter.toEpochMilli();
    try {
      Outcome outcome =
          db.admission(
              h ->
                  h.createQuery(ADMIT)
                      .bind("hash", tokenHash)
                      .bind("provider", providerId)
                      .bind("until", until)
                      .map((rs, ctx) -> new Outcome(rs.getLong(1) > 0, rs.getLong(2)))
                      .one());
      if (outcome.admitted()) {
        return Admission.FIRST_USE;
      }
      return until <= outcome.databaseNow() ? Admission.TOO_LATE : Admission.REPLAYED;
    } catch (RuntimeException e) {
      warn("admission", e);
      return Admission.UNAVAILABLE;
    }
  }

  /** What {@link #ADMIT} answered: whether it wrote the row, and the database's time. */
  private record Outcome(boolean admitted, long databaseNow) {}

  @Override
  public void forget(String providerId, String tokenHash, Instant forgetAfter) {
    try {
      db.admission(
          h ->
              h.createUpdate(FORGET)
                  .bind("hash", tokenHash)
                  .bind("until", forgetAfter.toEpochMilli())
                  .execute());
    } catch (RuntimeException e) {
      warn("give-back", e); // the token stays used up: fails closed
    }
  }

  /**
   * Deletes the rows expired by the database's clock, {@link #PURGE_BATCH} at a time, until none is
   * left or {@link #PURGE_MAX_BATCHES} ran; returns how many were deleted. Safe on several nodes at
   * once. On the general pool (a large purge may take longer than an admission may).
   */
  @Override
  public int purgeExpired() {
    return purgeExpired(PURGE_MAX_BATCHES);
  }

  int purgeExpired(int maxBatches) {
    int total = 0;
    for (int i = 0; i < maxBatches; i++) {
      int deleted = db.autoCommitted(h -> h.createUpdate(PURGE).execute());
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
