package dev.openwif.store;

import dev.openwif.audit.AuditEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps audit writes off the exchange path: {@link #record} puts the event on a bounded queue; one
 * writer thread stores queued events in batches, each batch in one transaction. A batch the
 * database refuses is retried event by event, so one bad event does not lose its neighbours.
 * Thread-safe.
 */
final class BatchingAuditSink implements FlushableAuditSink {
  static final int CAPACITY = 10_000;
  static final int MAX_BATCH = 500;
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(BatchingAuditSink.class);

  private final BlockingQueue<AuditEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Consumer<List<AuditEvent>> store;

  /**
   * Events counted before being queued, so that {@link #flush} never returns ahead of one it must
   * wait for.
   */
  private final AtomicLong accepted = new AtomicLong();

  private final Object progress = new Object();
  private long processed; // guarded by progress
  private volatile boolean closed;
  private final Thread writer;

  /**
   * @param store writes a batch of events in one transaction, or throws
   */
  BatchingAuditSink(Consumer<List<AuditEvent>> store) {
    this.store = Objects.requireNonNull(store, "store");
    this.writer = Thread.ofPlatform().daemon().name("wif-audit-writer").unstarted(this::drain);
  }

  /** Creates the sink and starts its writer thread. */
  static BatchingAuditSink start(Consumer<List<AuditEvent>> store) {
    BatchingAuditSink sink = new BatchingAuditSink(store);
    sink.writer.start();
    return sink;
  }

  @Override
  public void record(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    if (closed) {
      LOG.warn(
          "audit event {} ({}) recorded after the store was closed: dropped",
          event.id(),
          event.type());
      return;
    }
    accepted.incrementAndGet();
    try {
      queue.put(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while queueing audit event {} ({}): dropped", event.id(), event.type());
      advance(1);
      return;
    }
    if (closed && !writer.isAlive()) {
      writeLeftovers(); // raced with close(): the writer is gone, so store it here
    }
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

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.join(FLUSH_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      LOG.warn(
          "audit writer still busy after {} s at close; {} events may be lost",
          FLUSH_TIMEOUT.toSeconds(),
          queue.size());
    } else {
      writeLeftovers();
    }
  }

  /**
   * Stores events queued by callers that raced with {@link #close()}, once the writer has stopped.
   */
  private synchronized void writeLeftovers() {
    List<AuditEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!rest.isEmpty()) {
      write(rest);
      advance(rest.size());
    }
  }

  private void drain() {
    List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
    while (!(closed && queue.isEmpty())) {
      try {
        AuditEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        write(batch);
        advance(batch.size());
        batch.clear();
      } catch (InterruptedException e) {
        // Only close() stops the writer; keep draining so that no accepted event is abandoned. (The
        // interrupt status is already clear once InterruptedException is thrown.)
      }
    }
  }

  private void write(List<AuditEvent> batch) {
    try {
      store.accept(batch);
    } catch (RuntimeException batchFailure) {
      for (AuditEvent event : batch) {
        try {
          store.accept(List.of(event));
        } catch (RuntimeException e) {
          LOG.error(
              "audit event {} ({}) could not be stored: {}",
              event.id(),
              event.type(),
              e.toString());
        }
      }
    }
  }

  private void advance(int events) {
    synchronized (progress) {
      processed += events;
      progress.notifyAll();
    }
  }
}
