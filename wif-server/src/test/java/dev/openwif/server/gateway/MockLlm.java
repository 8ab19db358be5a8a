package dev.openwif.server.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The third-party OpenAI-compatible mock server {@code @dwmkerr/mock-llm} (pinned in {@code
 * src/test/mock-llm}), run as a real Node.js child process on 127.0.0.1 and a free port with the
 * rules of {@code src/test/mock-llm/mock-llm.yaml}: it answers only calls that carry {@link
 * #UPSTREAM_KEY}. {@link #start()} installs the package first when needed ({@link NodePackage}) and
 * waits, bounded, until the server answers; {@link #close()} ends the process and its descendants.
 * Not thread-safe to start or close concurrently; {@link #requestLog()} may be read any time.
 */
final class MockLlm implements AutoCloseable {
  /** The API key the rules accept; OpenWIF is given it as its upstream key. */
  static final String UPSTREAM_KEY = "sk-upstream-mock-llm-0123456789";

  private static final Path DIR = Path.of("src", "test", "mock-llm");
  private static final Path MAIN =
      Path.of("node_modules", "@dwmkerr", "mock-llm", "dist", "main.js");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;

  private final Process process;
  private final int port;
  private final Path log;
  private final Thread onExit;

  private MockLlm(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    // a test JVM that stops without running @AfterAll must not leave the Node.js process behind
    this.onExit = new Thread(() -> destroyTree(process), "mock-llm-stop");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /** Installs the package when needed, starts the server and waits until it is healthy. */
  static MockLlm start() {
    Path dir = DIR.toAbsolutePath();
    Path node = NodePackage.ensureInstalled(dir);
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = freePort();
      Path log = Path.of("target", "mock-llm-" + port + ".log").toAbsolutePath();
      Process process = launch(node, dir, port, log);
      try {
        awaitHealthy(process, port, log);
        return new MockLlm(process, port, log);
      } catch (IllegalStateException e) {
        destroyTree(process);
        last = e; // most likely the port was taken between choosing and binding it: try another
      }
    }
    throw last;
  }

  private static Process launch(Path node, Path dir, int port, Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(
                node.toString(),
                dir.resolve(MAIN).toString(),
                "--config",
                dir.resolve("mock-llm.yaml").toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("HOST", "127.0.0.1");
    builder.environment().put("PORT", Integer.toString(port));
    try {
      Files.createDirectories(log.getParent());
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start mock-llm with " + node, e);
    }
  }

  private static void awaitHealthy(Process process, int port, Path log) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mock-llm exited with " + process.exitValue() + " while starting: " + tail(log));
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for mock-llm", e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "mock-llm did not answer /health within " + START_TIMEOUT + ": " + tail(log));
  }

  /** The API base URL to give OpenWIF as its upstream. */
  String url() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  /** The requests mock-llm logged so far, one {@code METHOD /path} per request, in order. */
  List<String> requestLog() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(line -> line.matches("^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.*"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    destroyTree(process);
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs (and finds the process gone)
    }
  }

  private static void destroyTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for mock-llm", e);
    }
  }
}
