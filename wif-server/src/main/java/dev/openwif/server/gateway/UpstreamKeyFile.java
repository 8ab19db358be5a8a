package dev.openwif.server.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream key held in a file ({@code --upstream-api-key-file}): read at start, and read again
 * when the file changes. On use, at most once per check interval, the file's identity is compared
 * with the one last read: its real path (a Kubernetes secret mount swaps the {@code ..data}
 * symlink, which changes the path the key's symlink resolves to), its file key (inode; a {@code mv}
 * over it), its modification time and its size (an edit in place). Only then is the file read. The
 * content is trimmed (a trailing newline is not part of the key). A new content that is empty, not
 * a valid key or unreadable leaves the last good key in use, with one WARN per such change; the key
 * itself is never logged. Thread-safe: one caller re-reads while the others go on with the key they
 * have.
 */
public final class UpstreamKeyFile implements UpstreamKey {
  /** How often, at most, the file is looked at again. */
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamKeyFile.class);

  /** What identifies one version of the file. */
  private record Version(Path realPath, @Nullable Object fileKey, FileTime modified, long size) {}

  private record Loaded(Version version, String key) {}

  /** Stands for "the file could not be looked at" in {@link #refused}. */
  private static final Object UNREADABLE = new Object();

  private final Path file;
  private final long intervalNanos;
  private final ReentrantLock checking = new ReentrantLock();
  private volatile Loaded loaded;
  private volatile long nextCheck;
  private @Nullable Object refused; // guarded by checking: the Version (or UNREADABLE) warned about

  UpstreamKeyFile(Path file, Duration checkInterval) {
    this.file = Objects.requireNonNull(file, "file");
    this.intervalNanos = checkInterval.toNanos();
    Version version;
    String key;
    try {
      version = version();
      key = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read --upstream-api-key-file " + file + ": " + e.getClass().getSimpleName());
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("--upstream-api-key-file " + file + " is empty");
    }
    if (!UpstreamKey.usable(key)) {
      throw new IllegalArgumentException(
          "--upstream-api-key-file "
              + file
              + " does not hold a usable key: it must be printable ASCII without spaces");
    }
    this.loaded = new Loaded(version, key);
    this.nextCheck = System.nanoTime() + intervalNanos;
  }

  @Override
  public Optional<String> current() {
    if (System.nanoTime() - nextCheck >= 0 && checking.tryLock()) {
      try {
        nextCheck = System.nanoTime() + intervalNanos;
        reloadIfChanged();
      } finally {
        checking.unlock();
      }
    }
    return Optional.of(loaded.key());
  }

  private void reloadIfChanged() {
    Version version;
    try {
      version = version();
    } catch (IOException | RuntimeException e) {
      warnOnce(UNREADABLE, "cannot be read (" + e.getClass().getSimpleName() + ")");
      return;
    }
    if (version.equals(loaded.version())) {
      refused = null;
      return;
    }
    if (version.equals(refused)) {
      return;
    }
    String key;
    try {
      key = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      warnOnce(version, "cannot be read (" + e.getClass().getSimpleName() + ")");
      return;
    }
    if (key.isEmpty()) {
      warnOnce(version, "is empty");
      return;
    }
    if (!UpstreamKey.usable(key)) {
      warnOnce(version, "does not hold a usable key (printable ASCII without spaces)");
      return;
    }
    boolean changed = !key.equals(loaded.key());
    loaded = new Loaded(version, key);
    refused = null;
    if (changed) {
      LOG.info("upstream API key file {} changed: the new key is in use", file);
    }
  }

  private void warnOnce(Object state, String problem) {
    if (state.equals(refused)) {
      return;
    }
    refused = state;
    LOG.warn(
        "upstream API key file {} {}: the key read before stays in use until it is fixed",
        file,
        problem);
  }

  private Version version() throws IOException {
    Path real = file.toRealPath();
    BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
    return new Version(
        real, attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
  }

  /** Names the file, never the key. */
  @Override
  public String toString() {
    return "UpstreamKeyFile[" + file + "]";
  }
}
