package dev.openwif.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's connection caps that Helidon does not enforce the way the server needs: wraps
 * Helidon's HTTP/1 connection selector (the only protocol the server speaks) to count open
 * connections, and watches every connection's request head.
 *
 * <ul>
 *   <li>More than {@link ConnectionLimits#maxConnections()} open: the new connection is answered
 *       {@code 503} with {@code Connection: close} and closed at once. (Helidon's own cap stops
 *       accepting instead, which parks every later client, legitimate ones included, in the
 *       kernel's backlog.)
 *   <li>A request head not complete within {@link ConnectionLimits#headerTimeout()}: the connection
 *       is closed (slow-loris). Timed from the connection's start for its first request (request
 *       line and headers), from the request line for a kept-alive connection's next ones. Helidon's
 *       idle timeout measures from the last request only and never interrupts a connection sending
 *       its headers slowly.
 * </ul>
 *
 * <p>A kept-alive connection waiting for (or slowly sending) its next request line is closed by
 * Helidon's idle timeout ({@link ConnectionLimits#idleTimeout()}), as is one whose request body
 * stops. Thread-safe; {@link #close()} stops the watchdog thread.
 */
public final class ConnectionGuard implements ServerConnectionSelector, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final byte[] BUSY =
      String.join(
              "\r\n",
              "HTTP/1.1 503 Service Unavailable",
              "Content-Type: text/plain",
              "Content-Length: 36",
              "Retry-After: 1",
              "Connection: close",
              "",
              "too many connections; retry shortly\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final ConnectionLimits limits;
  private final LongSupplier nanoTime;
  private final Http1ConnectionSelector http1;
  private final Map<ConnectionContext, Watched> open = new ConcurrentHashMap<>();
  private final AtomicInteger openCount = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong();
  private final ScheduledExecutorService watchdog;
  private final ScheduledFuture<?> sweeps;

  /**
   * @param limits the caps
   * @param http1 the HTTP/1 settings; the guard's listeners are added to them
   */
  public ConnectionGuard(ConnectionLimits limits, Http1Config http1) {
    this(limits, http1, System::nanoTime);
  }

  ConnectionGuard(ConnectionLimits limits, Http1Config http1, LongSupplier nanoTime) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    // the guard's listeners replace any others: Helidon 4.5's composite of several listeners
    // forwards no event to them, so one listener each way is the only wiring that works
    Http1Config watched =
        Http1Config.builder()
            .from(http1)
            .clearReceiveListeners()
            .clearSendListeners()
            .addReceiveListener(new ReceiveListener())
            .addSendListener(new SendListener())
            .build();
    this.http1 = Http1ConnectionSelector.builder().config(watched).build();
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wif-request-head-watchdog").daemon(true).factory());
    long periodMillis = Math.max(50, Math.min(500, limits.headerTimeout().toMillis() / 10));
    this.sweeps =
        watchdog.scheduleAtFixedRate(
            this::closeSlowHeads, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Connections open now (tests, diagnostics). */
  public int openConnections() {
    return openCount.get();
  }

  /** Connections answered 503 because {@link ConnectionLimits#maxConnections()} were open. */
  public long refusedConnections() {
    return refused.get();
  }

  /** Connections closed because their request head took too long. */
  public long slowHeadsClosed() {
    return timedOut.get();
  }

  @Override
  public int bytesToIdentifyConnection() {
    return http1.bytesToIdentifyConnection();
  }

  @Override
  public Support supports(BufferData data) {
    return http1.supports(data);
  }

  @Override
  public Set<String> supportedApplicationProtocols() {
    return http1.supportedApplicationProtocols();
  }

  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    return new Watched(ctx, http1.connection(ctx));
  }

  @Override
  public void close() {
    sweeps.cancel(false);
    watchdog.shutdownNow();
  }

  private void closeSlowHeads() {
    long now = nanoTime.getAsLong();
    long limit = limits.headerTimeout().toNanos();
    for (Watched connection : open.values()) {
      long started = connection.headStarted;
      if (started != 0 && now - started > limit) {
        connection.kill();
        timedOut.incrementAndGet();
        logSometimes();
      }
    }
  }

  private void logSometimes() {
    long now = nanoTime.getAsLong();
    long last = lastLog.get();
    if ((last == 0 || now - last > LOG_EVERY_NANOS) && lastLog.compareAndSet(last, now)) {
      LOG.warn(
          "connection caps in force: {} connection(s) refused over the limit of {},"
              + " {} closed for sending no complete request head within {} s (so far)",
          refused.get(),
          limits.maxConnections(),
          timedOut.get(),
          limits.headerTimeout().toSeconds());
    }
  }

  /** One connection: counted while it runs, its request head timed. */
  private final class Watched implements ServerConnection {
    private final ConnectionContext ctx;
    private final ServerConnection delegate;

    /** When the request head now awaited began (nanoTime), 0 when none is being timed. */
    volatile long headStarted;

    Watched(ConnectionContext ctx, ServerConnection delegate) {
      this.ctx = ctx;
      this.delegate = delegate;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
      if (openCount.incrementAndGet() > limits.maxConnections()) {
        openCount.decrementAndGet();
        refused.incrementAndGet();
        logSometimes();
        try {
          ctx.dataWriter().writeNow(BufferData.create(BUSY));
        } catch (RuntimeException e) {
          // the client is gone already; the connection is closed either way
        }
        return;
      }
      headStarted = stamp();
      open.put(ctx, this);
      try {
        delegate.handle(limit);
      } finally {
        open.remove(ctx);
        openCount.decrementAndGet();
      }
    }

    @Override
    public Duration idleTime() {
      return delegate.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
      delegate.close(interrupt);
    }

    /** A kept-alive connection's next request line arrived: its headers are timed from now. */
    void requestLineRead() {
      if (headStarted == 0) {
        headStarted = stamp();
      }
    }

    void headComplete() {
      headStarted = 0;
    }

    /** Closes the socket: the thread reading the head fails at once and Helidon cleans up. */
    void kill() {
      headStarted = 0;
      try {
        ctx.serverSocket().close();
      } catch (RuntimeException e) {
        // already closed
      }
      delegate.close(true);
    }

    private long stamp() {
      long now = nanoTime.getAsLong();
      return now == 0 ? 1 : now;
    }
  }

  private final class ReceiveListener implements Http1ConnectionListener {
    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
      Watched connection = open.get(ctx);
      if (connection != null) {
        connection.requestLineRead();
      }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
      Watched connection = open.get(ctx);
      if (connection != null) {
        connection.headComplete();
      }
    }
  }

  private final class SendListener implements Http1ConnectionListener {
    @Override
    public void status(ConnectionContext ctx, Status status) {
      Watched connection = open.get(ctx);
      if (connection != null) {
        connection.headComplete();
      }
    }
  }
}
