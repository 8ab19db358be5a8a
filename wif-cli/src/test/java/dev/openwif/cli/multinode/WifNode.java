package dev.openwif.cli.multinode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code wif serve} process started from the packaged runnable jar, as an operator runs it: its
 * own JVM, stdout read up to the "listening" line (then drained), stderr in a file. Not
 * thread-safe.
 */
final class WifNode implements AutoCloseable {
  /** The runnable jar {@code package} built; Failsafe runs after it. */
  static final Path JAR = Path.of("target", "wif.jar").toAbsolutePath();

  private static final String LISTENING = "OpenWIF listening on ";

  private final String name;
  private final int port;
  private final Process process;
  private final Path stderr;
  private final CompletableFuture<String> listening;

  private WifNode(String name, int port, Process process, Path stderr) {
    this.name = name;
    this.port = port;
    this.process = process;
    this.stderr = stderr;
    // a thread of its own: the common pool may have a single thread on a small machine
    this.listening =
        CompletableFuture.supplyAsync(
            this::readListeningLine, task -> Thread.ofPlatform().daemon().start(task));
  }

  /**
   * Starts {@code java -jar wif.jar serve ARGS --port PORT} with {@code env} added to an
   * environment cleared of every other {@code WIF_} variable (the native-crypto switch excepted),
   * so the machine's settings cannot change the nodes'. The port is given, not {@code 0}: with
   * {@code --public-url} the listening line names the public URL, not the node's own port.
   */
  static WifNode launch(
      String name, int port, Path logDir, List<String> serveArgs, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the launcher's heap settings for wif serve: three nodes and the test share a small machine
    command.addAll(
        List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError"));
    command.addAll(List.of("-jar", JAR.toString(), "serve"));
    command.addAll(serveArgs);
    command.addAll(List.of("--port", Integer.toString(port)));
    Path stderr = logDir.resolve(name + ".stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("WIF_") && !k.equals("WIF_NATIVE_CRYPTO"));
    builder.environment().putAll(env);
    return new WifNode(name, port, builder.start(), stderr);
  }

  private String readListeningLine() {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith(LISTENING)) {
          // keep draining stdout so the server never blocks on a full pipe
          Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
          return line.substring(LISTENING.length()).strip();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(name + ": cannot read stdout", e);
    }
    throw new IllegalStateException(name + " exited before listening: " + stderrText());
  }

  /** Waits (at most 90 s: three JVMs start at once on a busy machine) for the listening line. */
  WifNode awaitListening() throws Exception {
    try {
      listening.get(90, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(name + " did not listen within 90 s: " + stderrText(), e);
    }
    return this;
  }

  String name() {
    return name;
  }

  /** The node's own address, {@code http://127.0.0.1:PORT}, bypassing the balancer. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** {@code kill -9}: no shutdown hook runs, open connections are reset. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " still runs 10 s after SIGKILL");
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  String stderrText() {
    try {
      return Files.exists(stderr) ? Files.readString(stderr) : "";
    } catch (IOException e) {
      return "(cannot read " + stderr + ": " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, then SIGKILL when it has not stopped within 20 s. Idempotent. */
  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(20));
  }
}
