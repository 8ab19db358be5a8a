package dev.openwif.store;

import dev.openwif.federation.ChangeChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChangeChannel} over PostgreSQL {@code LISTEN}/{@code NOTIFY}: one channel per schema
 * ({@code openwif.<schema>}, so that deployments or tests sharing a database in separate schemas do
 * not hear each other), payload {@code <change> <node>} where {@code <node>} is a random id of this
 * process, so a node skips its own notifications.
 *
 * <p>Publishing is one auto-committed {@code pg_notify} on a pooled connection, after the change
 * committed. Listening runs on a connection of its own (outside the pool) and a daemon thread that
 * waits at most {@link #WAIT} per call for notifications, checks the connection with a query every
 * {@link #LIVENESS_CHECK} when idle (a silently dropped connection is otherwise never noticed), and
 * after any failure reconnects with a backoff from {@link #FIRST_BACKOFF} doubling up to {@link
 * #MAX_BACKOFF}, back to {@link #FIRST_BACKOFF} only after a connection that stayed up {@link
 * #STABLE} ({@link ReconnectBackoff}). After every successful {@code LISTEN} (the first one too)
 * the subscriber is told {@link Change#EVERYTHING}: notifications sent while it was not listening
 * are lost, so it re-reads everything; a connection that keeps failing soon after it came up
 * therefore costs a re-read every {@link #MAX_BACKOFF} at most, not every {@link #FIRST_BACKOFF}.
 * Thread-safe.
 */
final class PostgresChangeChannel implements ChangeChannel {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeChannel.class);

  static final Duration WAIT = Duration.ofMillis(500);
  static final Duration LIVENESS_CHECK = Duration.ofSeconds(10);
  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** How long a listening connection stays up before a failure starts the backoff afresh. */
  static final Duration STABLE = Duration.ofSeconds(30);

  /** Opens a new connection to the database (not from the pool). */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Database db;
  private final Connector connector;
  private final String node = HexFormat.of().formatHex(randomBytes());
  private final LogThrottle publishFailures = new LogThrottle(Duration.ofSeconds(10));
  private volatile @Nullable String channel;

  PostgresChangeChannel(Database db, Connector connector) {
    this.db = Objects.requireNonNull(db, "db");
    this.connector = Objects.requireNonNull(connector, "connector");
  }

  private static byte[] randomBytes() {
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    return id;
  }

  @Override
  public void publish(Change change) {
    try {
      String name = channel();
      db.autoCommitted(
          h ->
              h.createQuery("SELECT pg_notify(:channel, :payload)")
                  .bind("channel", name)
                  .bind("payload", change.name() + " " + node)
                  .mapToMap()
                  .one());
    } catch (RuntimeException e) {
      long held = publishFailures.admit();
      if (held >= 0) {
        LOG.warn(
            "could not notify the other nodes of a {} change (they see it at their next poll; {}"
                + " more since the last warning): {}",
            change,
            held,
            AuditWriteFailures.describe(e));
      }
    }
  }

  @Override
  public AutoCloseable subscribe(Consumer<Change> onChange) {
    Objects.requireNonNull(onChange, "onChange");
    AtomicBoolean closed = new AtomicBoolean();
    Thread listener =
        Thread.ofPlatform()
            .daemon()
            .name("openwif-change-listener")
            .start(() -> listenUntilClosed(onChange, closed));
    return () -> {
      closed.set(true);
      listener.interrupt();
      listener.join(WAIT.toMillis() * 4);
    };
  }

  /** The channel's name: {@code openwif.<schema>}, hashed when longer than an identifier may be. */
  String channel() {
    String known = channel;
    if (known != null) {
      return known;
    }
    String schema =
        db.read(h -> h.createQuery("SELECT current_schema()").mapTo(String.class).one());
    String name = "openwif." + schema;
    if (name.getBytes(StandardCharsets.UTF_8).length > 63) {
      name = "openwif." + sha256Hex(schema).substring(0, 40);
    }
    channel = name;
    return name;
  }

  private void listenUntilClosed(Consumer<Change> onChange, AtomicBoolean closed) {
    ReconnectBackoff backoff = new ReconnectBackoff(FIRST_BACKOFF, MAX_BACKOFF, STABLE);
    LogThrottle failures = new LogThrottle(Duration.ofSeconds(30));
    while (!closed.get()) {
      try (Connection c = connector.connect()) {
        String name = channel();
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN \"" + name.replace("\"", "\"\"") + "\"");
        }
        backoff.connected(System.nanoTime());
        LOG.debug("listening for changes on {}", name);
        deliver(onChange, EnumSet.of(Change.EVERYTHING));
        listen(c, onChange, closed);
      } catch (SQLException | RuntimeException e) {
        if (closed.get()) {
          return;
        }
        Duration wait = backoff.failed(System.nanoTime());
        long held = failures.admit();
        if (held >= 0) {
          LOG.warn(
              "change listener lost its connection; reconnecting in {} ms, then re-reading"
                  + " everything (polling goes on meanwhile; {} more since the last warning): {}",
              wait.toMillis(),
              held,
              AuditWriteFailures.describe(e));
        }
        try {
          Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
          return; // closed
        }
      }
    }
  }

  private void listen(Connection c, Consumer<Change> onChange, AtomicBoolean closed)
      throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long lastHeard = System.nanoTime();
    while (!closed.get()) {
      PGNotification[] notifications = pg.getNotifications((int) WAIT.toMillis());
      if (notifications != null && notifications.length > 0) {
        lastHeard = System.nanoTime();
        Set<Change> changes = EnumSet.noneOf(Change.class);
        for (PGNotification n : notifications) {
          parse(n.getParameter()).ifPresent(changes::add);
        }
        deliver(onChange, changes);
      } else if (System.nanoTime() - lastHeard > LIVENESS_CHECK.toNanos()) {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT 1"); // bounded by the connection's socket timeout
        }
        lastHeard = System.nanoTime();
      }
    }
  }

  /** The change a payload names, unless this node sent it or it is not one of ours. */
  private java.util.Optional<Change> parse(String payload) {
    int space = payload.indexOf(' ');
    if (space < 0 || payload.substring(space + 1).equals(node)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(Change.valueOf(payload.substring(0, space)));
    } catch (IllegalArgumentException unknown) {
      return java.util.Optional.empty(); // a newer node's change kind: its next poll covers it
    }
  }

  private static void deliver(Consumer<Change> onChange, Set<Change> changes) {
    for (Change change : changes) {
      try {
        onChange.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("applying a {} change from another node failed: {}", change, e.toString());
      }
    }
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
