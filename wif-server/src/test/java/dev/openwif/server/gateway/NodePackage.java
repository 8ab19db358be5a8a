package dev.openwif.server.gateway;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the Node.js packages pinned by a test folder's {@code package-lock.json} are installed
 * in its {@code node_modules}: runs {@code npm ci --no-audit --no-fund} (bounded) when {@code
 * node_modules} is missing or older than the lockfile, and does nothing otherwise (so it needs no
 * network once installed). Fails with one sentence saying what to install when {@code node} or
 * {@code npm} is not on the PATH. Thread-safe: installs are serialised in this JVM and, by a file
 * lock, across JVMs.
 */
final class NodePackage {
  private static final int NODE_MIN_MAJOR = 18;
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(4);

  private NodePackage() {}

  /** Installs {@code dir}'s locked packages when needed; returns the {@code node} executable. */
  static synchronized Path ensureInstalled(Path dir) {
    Path node = onPath("node").orElseThrow(() -> missing("node"));
    Path npm = onPath("npm").orElseThrow(() -> missing("npm"));
    int major = nodeMajor(node);
    if (major < NODE_MIN_MAJOR) {
      throw new IllegalStateException(
          node + " is Node.js " + major + "; the test upstream needs " + NODE_MIN_MAJOR + "+.");
    }
    if (upToDate(dir)) {
      return node;
    }
    Path lockFile = dir.resolve("node_modules.lock");
    try (FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock(); // another JVM may be installing the same folder
      try {
        if (!upToDate(dir)) {
          install(npm, dir);
        }
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not lock " + lockFile, e);
    }
    return node;
  }

  /** Installed, and not older than the lockfile (npm writes node_modules/.package-lock.json). */
  private static boolean upToDate(Path dir) {
    Path installed = dir.resolve("node_modules").resolve(".package-lock.json");
    try {
      return Files.isRegularFile(installed)
          && Files.getLastModifiedTime(installed)
                  .compareTo(Files.getLastModifiedTime(dir.resolve("package-lock.json")))
              >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static void install(Path npm, Path dir) {
    Path log = dir.resolve("npm-ci.log");
    ProcessBuilder builder =
        new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    try {
      Process process = builder.start();
      if (!process.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(
            "npm ci in " + dir + " did not finish within " + INSTALL_TIMEOUT + ": " + tail(log));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "npm ci in " + dir + " failed (exit " + process.exitValue() + "): " + tail(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + npm, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during npm ci in " + dir, e);
    }
  }

  private static int nodeMajor(Path node) {
    try {
      Process process =
          new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return 0;
      }
      // "v20.20.2"
      String digits = out.strip().replaceFirst("^v", "").replaceFirst("\\..*$", "");
      return digits.matches("\\d+") ? Integer.parseInt(digits) : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(entry, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static IllegalStateException missing(String tool) {
    return new IllegalStateException(
        tool
            + " is not on the PATH: the gateway ITs run the mock-llm test upstream on Node.js "
            + NODE_MIN_MAJOR
            + "+ with npm (Debian: apt-get install nodejs npm; ./wif test installs them as root).");
  }

  private static String tail(Path log) {
    return MockLlm.tail(log);
  }
}
