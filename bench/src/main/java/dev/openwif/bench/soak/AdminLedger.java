package dev.openwif.bench.soak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every admin write the driver made and how it ended. An object's final name must be the last name
 * a write of it was acknowledged with (2xx), or one attempted after that whose outcome is unknown
 * (no answer or an error: the server may have applied it). An acknowledged create must exist.
 * Single writer thread; read after it stopped.
 */
final class AdminLedger {
  /** One object the driver created (acknowledged): where to read it back. */
  record Created(String auditType, String id, String path) {}

  private final Map<String, Created> created = new LinkedHashMap<>();
  private final Map<String, String> lastAcked = new HashMap<>();
  private final Map<String, Set<String>> maybeAfterAck = new HashMap<>();
  private final Map<String, Integer> ackedAuditRows = new HashMap<>();
  private long acknowledged;
  private long unacknowledged;

  /** A create acknowledged with this id and name, read back at {@code path}. */
  void created(String auditType, String id, String path, String name) {
    created.put(id, new Created(auditType, id, path));
    acked(auditType, id, name);
  }

  /** An update of {@code id} to {@code name}, acknowledged. */
  void acked(String auditType, String id, String name) {
    lastAcked.put(id, name);
    maybeAfterAck.remove(id);
    ackedAuditRows.merge(auditType + " " + id, 1, Integer::sum);
    acknowledged++;
  }

  /** An update of {@code id} to {@code name} that was not acknowledged. */
  void notAcked(String id, String name) {
    maybeAfterAck.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(name);
    unacknowledged++;
  }

  /** A create that was not acknowledged (nothing to check: it may or may not exist). */
  void createNotAcked() {
    unacknowledged++;
  }

  List<Created> createdObjects() {
    return new ArrayList<>(created.values());
  }

  /** True when {@code name}, read back for {@code id}, is one this ledger allows. */
  boolean allows(String id, String name) {
    return name.equals(lastAcked.get(id))
        || maybeAfterAck.getOrDefault(id, Set.of()).contains(name);
  }

  /** What the ledger expects for {@code id}, for a message. */
  String expected(String id) {
    return lastAcked.get(id) + " (or one of " + maybeAfterAck.getOrDefault(id, Set.of()) + ")";
  }

  /** How many audit rows each {@code "type id"} needs: one per acknowledged write. */
  Map<String, Integer> ackedAuditRows() {
    return Map.copyOf(ackedAuditRows);
  }

  long acknowledged() {
    return acknowledged;
  }

  long unacknowledged() {
    return unacknowledged;
  }
}
