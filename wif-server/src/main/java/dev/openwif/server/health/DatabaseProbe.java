package dev.openwif.server.health;

import dev.openwif.federation.StoreUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Whether the database answers, asked at most once per {@link #MAX_RESULT_AGE} whatever the number
 * of probes (so {@code /readyz} cannot be used to hammer the database) and one question at a time:
 * a probe that arrives while a ping runs waits for that one, at most {@link #WAIT}; a ping that has
 * not answered by then counts as a failure. Thread-safe.
 */
final class DatabaseProbe {
  /** How long a result is reused. */
  static final Duration MAX_RESULT_AGE = Duration.ofSeconds(1);

  /**
   * How long a probe waits for the ping (under the 1 s a Kubernetes probe waits by default); the
   * ping's own validity check is given 1 s.
   */
  static final Duration WAIT = Duration.ofMillis(900);

  private final Consumer<Duration> ping;
  private final LongSupplier nanoTime;
  private Optional<Timed> last = Optional.empty();
  private Optional<CompletableFuture<Check>> running = Optional.empty();

  private record Timed(Check check, long atNanos) {}

  /**
   * @param ping throws (a {@link StoreUnavailableException} or any other exception) when the
   *     database does not answer within the given timeout
   */
  DatabaseProbe(Consumer<Duration> ping, LongSupplier nanoTime) {
    this.ping = Objects.requireNonNull(ping, "ping");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  Check check() {
    CompletableFuture<Check> answer = current();
    try {
      return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return down("no answer within " + WAIT.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down("interrupted while waiting for the database");
    } catch (ExecutionException e) {
      return down(String.valueOf(e.getCause()));
    }
  }

  private synchronized CompletableFuture<Check> current() {
    long now = nanoTime.getAsLong();
    if (last.isPresent() && now - last.get().atNanos() < MAX_RESULT_AGE.toNanos()) {
      return CompletableFuture.completedFuture(last.get().check());
    }
    if (running.isPresent()) {
      return running.get();
    }
    CompletableFuture<Check> started = new CompletableFuture<>();
    running = Optional.of(started);
    Thread.ofVirtual()
        .name("openwif-readiness-db")
        .start(
            () -> {
              Check result = pingOnce();
              synchronized (this) {
                last = Optional.of(new Timed(result, nanoTime.getAsLong()));
                running = Optional.empty();
              }
              started.complete(result);
            });
    return started;
  }

  private Check pingOnce() {
    try {
      ping.accept(WAIT);
      return new Check("database", true, true, "reachable");
    } catch (RuntimeException e) {
      return down(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private static Check down(String why) {
    return new Check("database", false, true, why);
  }
}
