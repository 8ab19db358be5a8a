package dev.openwif.store;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditQueueStatus;
import dev.openwif.audit.AuditUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps audit writes off the exchange path: {@link #record} puts the event on a bounded queue,
 * waiting at most {@link AuditQueueSettings#enqueueWait()} for room, and otherwise refuses it with
 * {@link AuditUnavailableException} (the caller fails closed). One supervised writer thread stores
 * queued events in batches, each batch in one transaction:
 *
 * <ul>
 *   <li>a failure worth retrying ({@link AuditWriteFailures#worthRetrying}: connection, timeout,
 *       lock, serialization) retries the whole batch after a pause that starts at 50 ms and doubles
 *       up to {@link AuditQueueSettings#maxRetryBackoff()}; meanwhile the queue fills and requests
 *       are refused fast;
 *   <li>any other failure splits the batch in halves until the events that cannot be stored are
 *       alone; each is dropped, counted ({@link AuditQueueStatus#lost()}) and logged by id and
 *       type, its neighbours stored;
 *   <li>an {@link Error} or an unexpected exception in the writer is logged and the writer
 *       restarted; the batch it held is then written one event at a time. Should the thread die all
 *       the same, the next {@link #record} starts a new one.
 * </ul>
 *
 * <p>{@link #close} first stops taking events (a {@link #record} from then on throws {@link
 * AuditUnavailableException}: a request racing shutdown fails closed rather than get a token whose
 * audit event was dropped) and waits, bounded, for the calls already queueing; then it drains the
 * queue for at most {@link AuditQueueSettings#closeDrain()} and logs how many events were lost when
 * that bound is hit. Thread-safe.
 */
final class BatchingAuditSink implements FlushableAuditSink {
  static final int MAX_BATCH = 500;
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final Duration RESTART_PAUSE = Duration.ofMillis(100);
  private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(BatchingAuditSink.class);

  private final AuditQueueSettings settings;
  private final BlockingQueue<AuditEvent> queue;
  private final Consumer<List<AuditEvent>> store;

  /**
   * Events counted before being queued, so that {@link #flush} never returns ahead of one it must
   * wait for.
   */
  private final AtomicLong accepted = new AtomicLong();

  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();

  /** Events taken from the queue by the writer and not yet stored or dropped. */
  private final AtomicInteger inFlight = new AtomicInteger();

  private final LogThrottle fullWarnings = new LogThrottle(WARN_INTERVAL);
  private final LogThrottle highWaterWarnings = new LogThrottle(WARN_INTERVAL);
  private final LogThrottle retryWarnings = new LogThrottle(WARN_INTERVAL);
  private final LogThrottle closedWarnings = new LogThrottle(WARN_INTERVAL);

  /**
   * Calls of {@link #record} past their {@link #refusing} check and not yet returned; {@link
   * #close} waits for them before the writer's last drain, so none queues an event behind it.
   */
  private final AtomicInteger recording = new AtomicInteger();

  /** Set first by {@link #close}: from then on {@link #record} refuses every event. */
  private volatile boolean refusing;

  private final Object progress = new Object();
  private long processed; // guarded by progress
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  /** {@link System#nanoTime()} by which close() stops draining; meaningful once closed. */
  private volatile long drainDeadline;

  /** Set when close() gave up on the writer: it must stop without counting anything more. */
  private volatile boolean abandoned;

  private volatile boolean started;
  private volatile Thread writer;

  /** The batch the writer held when it failed; written event by event after the restart. */
  private volatile List<AuditEvent> carried = List.of();

  /**
   * @param store writes a batch of events in one transaction, or throws
   */
  BatchingAuditSink(Consumer<List<AuditEvent>> store, AuditQueueSettings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.queue = new ArrayBlockingQueue<>(settings.capacity());
    this.writer = newWriter();
  }

  /** Creates the sink with the default settings and starts its writer thread. */
  static BatchingAuditSink start(Consumer<List<AuditEvent>> store) {
    return start(store, AuditQueueSettings.DEFAULTS);
  }

  /** Creates the sink and starts its writer thread. */
  static BatchingAuditSink start(Consumer<List<AuditEvent>> store, AuditQueueSettings settings) {
    BatchingAuditSink sink = new BatchingAuditSink(store, settings);
    sink.started = true;
    sink.writer.start();
    return sink;
  }

  private Thread newWriter() {
    return Thread.ofPlatform().daemon().name("wif-audit-writer").unstarted(this::supervise);
  }

  /**
   * Queues the event, waiting at most {@link AuditQueueSettings#enqueueWait()} for room.
   *
   * @throws AuditUnavailableException when the queue stayed full, or the sink is closed (the event
   *     is not stored)
   */
  @Override
  public void record(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    // Announced before the check: close() sets `refusing` then waits for `recording` to reach 0,
    // so either this call sees `refusing`, or close() waits until the event is queued.
    recording.incrementAndGet();
    try {
      if (refusing) {
        refuseClosed(event);
      }
      enqueue(event);
    } finally {
      recording.decrementAndGet();
    }
    if (closed && !writer.isAlive()) {
      writeLeftovers(); // close() stopped waiting for this call (its bound passed): store it here
    }
  }

  private void refuseClosed(AuditEvent event) {
    long n = refused.incrementAndGet();
    long held = closedWarnings.admit();
    if (held >= 0) {
      LOG.warn(
          "audit event {} ({}) recorded after the audit store was closed: refused, the request"
              + " fails closed ({} more refused since the last warning, {} refused in all)",
          event.id(),
          event.type(),
          held,
          n);
    }
    throw new AuditUnavailableException("the audit store is closed (shutting down)");
  }

  private void enqueue(AuditEvent event) {
    replaceDeadWriter();
    accepted.incrementAndGet();
    boolean queued;
    try {
      queued = queue.offer(event, settings.enqueueWait().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      queued = false;
    }
    if (!queued) {
      advance(1);
      refused.incrementAndGet();
      String reason =
          "audit queue full ("
              + queue.size()
              + " of "
              + settings.capacity()
              + " events waiting for the database) for "
              + settings.enqueueWait().toMillis()
              + " ms";
      long held = fullWarnings.admit();
      if (held >= 0) {
        LOG.warn(
            "audit event refused: {}; the request fails closed ({} more refused since the last"
                + " warning, {} in all)",
            reason,
            held,
            refused.get());
      }
      throw new AuditUnavailableException(reason);
    }
    int depth = queue.size();
    if (depth >= settings.highWaterMark()) {
      long held = highWaterWarnings.admit();
      if (held >= 0) {
        LOG.warn(
            "audit queue at {} of {} events (high-water mark {}): the database is slow or"
                + " unreachable; past the capacity requests are refused with 503",
            depth,
            settings.capacity(),
            settings.highWaterMark());
      }
    }
  }

  /** The supervisor's last resort: a writer thread that died anyway is replaced. */
  private void replaceDeadWriter() {
    if (!started || writer.isAlive()) {
      return;
    }
    synchronized (this) {
      if (!closed && !writer.isAlive()) {
        restarts.incrementAndGet();
        LOG.error("the audit writer thread had stopped; starting a new one");
        writer = newWriter();
        writer.start();
      }
    }
  }

  @Override
  public AuditQueueStatus status() {
    return new AuditQueueStatus(
        depth(),
        settings.capacity(),
        settings.highWaterMark(),
        refused.get(),
        lost.get(),
        restarts.get());
  }

  /** Events recorded and not yet stored: queued, or in the batch being written. */
  int depth() {
    return queue.size() + inFlight.get();
  }

  @Override
  public void flush() {
    long target = accepted.get();
    long deadline = System.nanoTime() + FLUSH_TIMEOUT.toNanos();
    synchronized (progress) {
      while (processed < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "audit writer did not flush within " + FLUSH_TIMEOUT.toSeconds() + " s");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while flushing the audit log", e);
        }
      }
    }
  }

  /**
   * Refuses events from now on ({@link #record} throws {@link AuditUnavailableException}), waits
   * for the calls already queueing (at most {@link AuditQueueSettings#enqueueWait()} and a second),
   * then writes what is queued for at most {@link AuditQueueSettings#closeDrain()} and stops; logs
   * how many events were lost when the bound was hit.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    refusing = true;
    awaitRecordsInProgress();
    drainDeadline = System.nanoTime() + settings.closeDrain().toNanos();
    closed = true;
    Thread w = writer;
    if (started) {
      try {
        w.join(settings.closeDrain().plusMillis(200));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (started && !w.isAlive()) {
      int left = depth();
      if (left == 0) {
        writeLeftovers();
        return;
      }
    }
    abandoned = true; // counted here, so the writer must not count or advance any more
    List<AuditEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    int left = rest.size() + inFlight.getAndSet(0);
    w.interrupt();
    if (left > 0) {
      lost.addAndGet(left);
      advance(left);
      LOG.warn(
          "audit queue not drained within {} ms at shutdown: {} event(s) lost",
          settings.closeDrain().toMillis(),
          left);
    }
  }

  /**
   * Waits until no {@link #record} call is between its check and its return (each waits at most the
   * enqueue bound), so the writer's last drain sees every event accepted before the close.
   */
  private void awaitRecordsInProgress() {
    long deadline = System.nanoTime() + settings.enqueueWait().plusSeconds(1).toNanos();
    while (recording.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        LOG.warn(
            "audit sink closing: {} record call(s) still in progress after the enqueue bound",
            recording.get());
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /**
   * Stores events queued by callers that raced with {@link #close()}, once the writer has stopped.
   */
  private synchronized void writeLeftovers() {
    List<AuditEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (rest.isEmpty()) {
      return;
    }
    try {
      store.accept(rest);
    } catch (RuntimeException e) {
      lost.addAndGet(rest.size());
      LOG.error(
          "{} audit event(s) recorded while the store closed could not be stored: {}",
          rest.size(),
          AuditWriteFailures.describe(e));
    }
    advance(rest.size());
  }

  /** The writer thread: runs the writer loop again after an unexpected failure. */
  private void supervise() {
    while (true) {
      try {
        writeUntilClosed();
        return;
      } catch (RuntimeException | Error e) {
        // An Error (e.g. a StackOverflowError in a driver) or a bug must not end auditing: log,
        // pause, start over. The batch in hand stays in `carried`.
        long n = restarts.incrementAndGet();
        LOG.error(
            "audit writer failed ({}); restarting it (restart {})",
            AuditWriteFailures.describe(e),
            n);
        if (!pause(RESTART_PAUSE.toNanos())) {
          return; // interrupted by close(), which counts what is left
        }
      }
    }
  }

  /** The writer loop; returns once closed and drained, or when the drain bound is hit. */
  private void writeUntilClosed() {
    List<AuditEvent> held = carried;
    if (!held.isEmpty()) {
      if (!writeOneByOne(held)) {
        return; // close() counts what is left as lost
      }
      carried = List.of();
    }
    while (!(closed && queue.isEmpty())) {
      if (abandoned || (closed && System.nanoTime() - drainDeadline >= 0)) {
        return;
      }
      AuditEvent first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // Only close() interrupts the writer, and only once it gave up on it.
        continue;
      }
      if (first == null) {
        continue;
      }
      List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      inFlight.set(batch.size());
      carried = batch;
      try {
        writeOrIsolate(batch);
      } catch (DrainBoundHit e) {
        return; // close() counts the batch and the queue as lost
      }
      if (abandoned) {
        return; // close() gave up on this batch and counted it already
      }
      carried = List.of();
      inFlight.set(0);
      advance(batch.size());
    }
  }

  /**
   * After a writer failure: each event of the batch alone, so only a poisonous one is lost. False
   * when the drain bound was hit first.
   */
  private boolean writeOneByOne(List<AuditEvent> batch) {
    for (AuditEvent event : batch) {
      try {
        writeOrIsolate(List.of(event));
      } catch (DrainBoundHit e) {
        return false;
      } catch (RuntimeException | Error e) {
        drop(event, e);
      }
      if (abandoned) {
        return false;
      }
      inFlight.decrementAndGet();
      advance(1);
    }
    return true;
  }

  /**
   * Stores the batch, retrying failures worth retrying with back-off; isolates events that cannot
   * be stored by splitting the batch in halves.
   *
   * @throws DrainBoundHit when closing and the drain bound passed while retrying
   */
  private void writeOrIsolate(List<AuditEvent> batch) {
    long backoff = FIRST_BACKOFF_NANOS;
    while (true) {
      try {
        store.accept(batch);
        return;
      } catch (RuntimeException e) {
        if (!AuditWriteFailures.worthRetrying(e)) {
          isolate(batch, e);
          return;
        }
        long held = retryWarnings.admit();
        if (held >= 0) {
          LOG.warn(
              "storing {} audit event(s) failed ({}); retrying in {} ms ({} earlier retries not"
                  + " logged); {} more event(s) queued",
              batch.size(),
              AuditWriteFailures.describe(e),
              TimeUnit.NANOSECONDS.toMillis(backoff),
              held,
              queue.size());
        }
        long wait = backoff;
        if (closed) {
          long left = drainDeadline - System.nanoTime();
          if (left <= 0) {
            throw new DrainBoundHit();
          }
          wait = Math.min(wait, left);
        }
        if (!pause(wait) || abandoned) {
          throw new DrainBoundHit();
        }
        backoff = Math.min(backoff * 2, Math.max(FIRST_BACKOFF_NANOS, maxBackoffNanos()));
      }
    }
  }

  private long maxBackoffNanos() {
    return settings.maxRetryBackoff().toNanos();
  }

  private void isolate(List<AuditEvent> batch, RuntimeException failure) {
    if (batch.size() == 1) {
      drop(batch.getFirst(), failure);
      return;
    }
    int half = batch.size() / 2;
    writeOrIsolate(List.copyOf(batch.subList(0, half)));
    writeOrIsolate(List.copyOf(batch.subList(half, batch.size())));
  }

  private void drop(AuditEvent event, Throwable failure) {
    long n = lost.incrementAndGet();
    LOG.error(
        "audit event {} ({}) cannot be stored and is dropped ({} lost since start): {}",
        event.id(),
        event.type(),
        n,
        AuditWriteFailures.describe(failure));
  }

  /** Sleeps; false when interrupted. */
  private static boolean pause(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private void advance(int events) {
    synchronized (progress) {
      processed += events;
      progress.notifyAll();
    }
  }

  /** Internal signal: closing, and the drain bound passed while a batch was being retried. */
  private static final class DrainBoundHit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DrainBoundHit() {
      super("audit drain bound hit", null, false, false);
    }
  }
}
