package dev.openwif.server.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the served certificate in step with its files: reads both at a fixed period and, when their
 * content has changed and stayed the same for one more period (so a certificate and key replaced
 * one after the other are read as a pair), hands the new credentials over. New files that cannot be
 * used (unreadable, not PEM, a key of another certificate) leave the certificate in use in place
 * and log one error per distinct bad content. Content is compared, not modification times, so a
 * Kubernetes secret mount's symlink swap and a same-second rewrite are both seen.
 *
 * <p>{@link #check()} runs on the watcher's one thread only; {@link #credentials()} may be read
 * from any thread.
 */
public final class TlsFileWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsFileWatcher.class);

  private final TlsFiles files;
  private volatile TlsCredentials credentials;
  private byte[] inUse;
  private byte[] pending = new byte[0];
  private byte[] lastRefused = new byte[0];
  private Consumer<TlsCredentials> onChange = c -> {};
  private @Nullable ScheduledExecutorService scheduler;

  private TlsFileWatcher(TlsFiles files, TlsCredentials credentials, byte[] fingerprint) {
    this.files = files;
    this.credentials = credentials;
    this.inUse = fingerprint;
  }

  /**
   * Reads the files for the first time.
   *
   * @throws IllegalArgumentException one line naming the file and its problem
   */
  public static TlsFileWatcher load(TlsFiles files) {
    Objects.requireNonNull(files, "files");
    byte[] certificate = TlsCredentials.bytes(files.certificate());
    byte[] key = TlsCredentials.bytes(files.key());
    return new TlsFileWatcher(
        files, TlsCredentials.of(files, certificate, key), fingerprint(certificate, key));
  }

  /** The credentials in use: those read at load, or the last change handed over. */
  public TlsCredentials credentials() {
    return credentials;
  }

  /**
   * Starts checking the files every {@code period} on a daemon thread, handing new credentials to
   * {@code onChange} (which may throw to refuse them: the old ones stay, the error is logged once).
   */
  public synchronized void watch(Consumer<TlsCredentials> onChange, Duration period) {
    if (scheduler != null) {
      throw new IllegalStateException("already watching");
    }
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "wif-tls-watch");
              t.setDaemon(true);
              return t;
            });
    long millis = period.toMillis();
    ScheduledFuture<?> unused =
        scheduler.scheduleWithFixedDelay(this::checkSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Sets what {@link #check()} hands new credentials to, without the thread (tests). */
  synchronized void onChangeForTest(Consumer<TlsCredentials> onChange) {
    this.onChange = onChange;
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.error("checking the TLS files failed: {}", e.toString());
    }
  }

  /** One check of the files (the watcher's thread, or a test's). */
  synchronized void check() {
    byte[] certificate;
    byte[] key;
    byte[] seen;
    @Nullable IllegalArgumentException unreadable = null;
    try {
      certificate = TlsCredentials.bytes(files.certificate());
      key = TlsCredentials.bytes(files.key());
      seen = fingerprint(certificate, key);
    } catch (IllegalArgumentException e) {
      certificate = new byte[0];
      key = new byte[0];
      seen = fingerprint(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8), key);
      unreadable = e;
    }
    if (Arrays.equals(seen, inUse)) {
      pending = new byte[0];
      lastRefused = new byte[0];
      return;
    }
    if (!Arrays.equals(seen, pending)) {
      pending = seen; // changed since the last look: wait one period for the writer to finish
      return;
    }
    pending = new byte[0];
    if (Arrays.equals(seen, lastRefused)) {
      return;
    }
    try {
      if (unreadable != null) {
        throw unreadable;
      }
      TlsCredentials next = TlsCredentials.of(files, certificate, key);
      onChange.accept(next);
      credentials = next;
      inUse = seen;
      LOG.info("TLS certificate reloaded from {}: {}", files.certificate(), next.describe());
    } catch (RuntimeException e) {
      lastRefused = seen;
      LOG.error(
          "the TLS files changed but cannot be used; still serving {}: {}",
          credentials.describe(),
          e.getMessage());
    }
  }

  private static byte[] fingerprint(byte[] certificate, byte[] key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(ByteBuffer.allocate(4).putInt(certificate.length).array());
      sha256.update(certificate);
      sha256.update(key);
      return sha256.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
