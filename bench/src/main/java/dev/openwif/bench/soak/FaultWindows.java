package dev.openwif.bench.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The faults injected so far (issuer down, database down), each a window from the moment it began
 * to the moment it ended plus a grace period for recovery. A request that starts inside a window
 * may be answered 503 (or refused) for the fault's sake; outside every window it may not. Times are
 * milliseconds since the run began. Thread-safe.
 */
final class FaultWindows {
  /** One fault: its name, when it began and ended (empty while in progress), and its grace. */
  record Window(String name, long startMillis, Optional<Long> endMillis, Duration grace) {
    boolean covers(long millis) {
      return millis >= startMillis
          && endMillis.map(end -> millis <= end + grace.toMillis()).orElse(true);
    }
  }

  private final List<Window> windows = new ArrayList<>();

  synchronized int begin(String name, long nowMillis, Duration grace) {
    windows.add(new Window(name, nowMillis, Optional.empty(), grace));
    return windows.size() - 1;
  }

  synchronized void end(int index, long nowMillis) {
    Window w = windows.get(index);
    windows.set(index, new Window(w.name(), w.startMillis(), Optional.of(nowMillis), w.grace()));
  }

  synchronized boolean covers(long millis) {
    for (Window w : windows) {
      if (w.covers(millis)) {
        return true;
      }
    }
    return false;
  }

  synchronized List<Window> all() {
    return List.copyOf(windows);
  }
}
