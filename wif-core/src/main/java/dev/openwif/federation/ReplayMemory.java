package dev.openwif.federation;

import java.time.Instant;
import java.util.function.Predicate;

/**
 * Where the exchange remembers the subject tokens it has admitted for providers with replay
 * protection, each under a key naming it (a hash, never the token) until it expires. One memory per
 * server (in memory, for a single node on SQLite) or one shared by every node on a PostgreSQL
 * database, so that a token exchanged on one node is refused as a replay on every other.
 * Implementations are thread-safe; check and remember are one atomic step.
 */
public interface ReplayMemory {

  /** What an admission made of a token. */
  enum Admission {
    /** Not seen before (or only expired): remembered now until its {@code forgetAfter}. */
    FIRST_USE,
    /** Remembered already and not yet expired: a replay. */
    REPLAYED,
    /** The memory is at its bound; the token is not admitted (fail closed). */
    FULL,
    /**
     * The token's acceptance window ({@code forgetAfter}) closed between its verification and this
     * admission: it could no longer be remembered, so it is not admitted (else a copy sent at that
     * instant would find its first use already forgotten).
     */
    TOO_LATE,
    /** The shared memory could not be asked (the database did not answer): not admitted. */
    UNAVAILABLE
  }

  /**
   * Remembers {@code tokenHash} for {@code providerId} until {@code forgetAfter} unless it is
   * remembered already; says which. Never throws for a database failure: that is {@link
   * Admission#UNAVAILABLE}.
   */
  Admission admit(String providerId, String tokenHash, Instant forgetAfter);

  /**
   * Gives back an admission: {@code tokenHash}, admitted for {@code providerId} until {@code
   * forgetAfter}, is forgotten (only that entry, not one a later admission made), so the token may
   * be exchanged again. For an exchange that admitted its token and then issued nothing. Best
   * effort: a failure is swallowed (the token then stays used up, which fails closed).
   */
  void forget(String providerId, String tokenHash, Instant forgetAfter);

  /**
   * Drops what is remembered for every provider for which {@code stillListed} is false (deleted
   * from the federation). By default nothing: a shared memory's rows expire on their own.
   */
  default void retainProviders(Predicate<String> stillListed) {}

  /**
   * Deletes what has expired by the memory's own clock (for the shared memory the database's, so
   * that a node whose clock runs ahead purges nothing early); returns how many entries. By default
   * nothing (a memory that sweeps itself as it goes). Called in the background, never on an
   * exchange.
   *
   * @throws StoreUnavailableException when the database does not answer
   */
  default int purgeExpired() {
    return 0;
  }

  /** A short name for logs and the startup summary: {@code in-memory} or {@code postgresql}. */
  String kind();
}
