package dev.openwif.federation;

import java.util.function.Consumer;

/**
 * Tells the other nodes on one database what an admin change touched, at once instead of at their
 * next poll (PostgreSQL {@code LISTEN}/{@code NOTIFY}). Best effort on both ends: the nodes' poll
 * stays as the fallback. Implementations are thread-safe.
 */
public interface ChangeChannel {

  /** What changed; the receiver re-reads that much. */
  enum Change {
    /** Providers, rules, projects or service accounts. */
    FEDERATION,
    /** The signing keys (rotated, retired). */
    SIGNING_KEYS,
    /**
     * Anything: sent to the local subscriber (never over the channel) when the listening connection
     * was re-established, since notifications sent meanwhile are lost.
     */
    EVERYTHING
  }

  /**
   * Tells every other node that {@code change} was committed. Never throws; a failure is logged.
   */
  void publish(Change change);

  /**
   * Starts listening on a connection of its own, on a thread of its own, and hands every change
   * another node publishes to {@code onChange} (on that thread), and {@link Change#EVERYTHING}
   * after each reconnection. The returned handle stops it.
   */
  AutoCloseable subscribe(Consumer<Change> onChange);
}
