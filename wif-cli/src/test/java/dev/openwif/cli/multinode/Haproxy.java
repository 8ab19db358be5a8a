package dev.openwif.cli.multinode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Debian's HAProxy in front of the nodes, run as a foreground child process with a generated
 * configuration: a frontend on 127.0.0.1, one backend server per node, round robin, health checks
 * on {@code GET /readyz} every 200 ms (down after 2 failures, up after 2 successes). A request
 * whose connection to a node could not be made is sent to another node ({@code retry-on
 * conn-failure}, {@code option redispatch}); a request a node received is never replayed by the
 * balancer (it may have been executed), which is why clients retry once themselves. Server states
 * are read from the stats socket. Not thread-safe.
 */
final class Haproxy implements AutoCloseable {
  static final Path BINARY = Path.of(System.getProperty("wif.haproxy", "/usr/sbin/haproxy"));

  private final Process process;
  private final Path socket;
  private final Path log;
  private final int port;

  private Haproxy(Process process, Path socket, Path log, int port) {
    this.process = process;
    this.socket = socket;
    this.log = log;
    this.port = port;
  }

  /** The configuration for {@code nodes} (name to port) behind 127.0.0.1:{@code port}. */
  static String config(int port, Map<String, Integer> nodes, Path socket) {
    StringBuilder c = new StringBuilder();
    c.append(
        """
        global
          maxconn 2000
          stats socket %s mode 600 level admin

        defaults
          mode http
          timeout connect 1s
          timeout client 30s
          timeout server 15s
          timeout check 1s
          retries 2
          retry-on conn-failure
          option redispatch 1
          option http-keep-alive

        frontend wif
          bind 127.0.0.1:%d
          default_backend nodes

        backend nodes
          balance roundrobin
          option httpchk
          http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host localhost
          http-check expect status 200
          default-server check inter 200ms fastinter 200ms downinter 200ms fall 2 rise 2
        """
            .formatted(socket, port));
    nodes.forEach(
        (name, p) ->
            c.append("  server ").append(name).append(" 127.0.0.1:").append(p).append('\n'));
    return c.toString();
  }

  /**
   * Writes the configuration and the log into {@code logs} and the stats socket into {@code
   * runtime} (a short path: a unix socket's path is limited to about 100 characters), checks the
   * configuration ({@code haproxy -c}) and starts HAProxy.
   */
  static Haproxy start(Path logs, Path runtime, int port, Map<String, Integer> nodes)
      throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          "the multi-node test needs Debian's haproxy ("
              + BINARY
              + "); install it with: apt-get install -y haproxy (./wif test does so as root)");
    }
    Path socket = runtime.resolve("haproxy.sock");
    Path cfg = logs.resolve("haproxy.cfg");
    Path log = logs.resolve("haproxy.log");
    Files.writeString(cfg, config(port, nodes, socket));
    Process check =
        new ProcessBuilder(BINARY.toString(), "-c", "-q", "-f", cfg.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!check.waitFor(20, TimeUnit.SECONDS) || check.exitValue() != 0) {
      throw new IllegalStateException(
          "haproxy -c refused the configuration: " + Files.readString(log));
    }
    Process process =
        new ProcessBuilder(BINARY.toString(), "-db", "-f", cfg.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Haproxy haproxy = new Haproxy(process, socket, log, port);
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!Files.exists(socket)) {
        if (!process.isAlive() || System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("haproxy did not start: " + Files.readString(log));
        }
        Thread.sleep(20);
      }
      return haproxy;
    } catch (Exception e) {
      haproxy.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:PORT}: the one public URL of every node. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Each backend server's state as the health checks see it ({@code UP}, {@code DOWN}, ...). */
  Map<String, String> serverStates() throws IOException {
    Map<String, String> states = new LinkedHashMap<>();
    for (String line : command("show stat").split("\n")) {
      List<String> f = List.of(line.split(",", -1));
      // pxname,svname,...,status is the 18th field
      if (f.size() > 17 && f.get(0).equals("nodes") && !f.get(1).equals("BACKEND")) {
        states.put(f.get(1), f.get(17));
      }
    }
    return states;
  }

  /** The backend's request counters: retries ({@code wretr}) and redispatches ({@code wredis}). */
  Map<String, Long> retries() throws IOException {
    for (String line : command("show stat").split("\n")) {
      List<String> f = List.of(line.split(",", -1));
      if (f.size() > 17 && f.get(0).equals("nodes") && f.get(1).equals("BACKEND")) {
        return Map.of("retries", number(f.get(15)), "redispatches", number(f.get(16)));
      }
    }
    return Map.of();
  }

  private static long number(String field) {
    return field.isEmpty() ? 0 : Long.parseLong(field);
  }

  /**
   * Waits (bounded by {@code limit}) until {@code server} has the state {@code wanted}; returns how
   * long it took.
   */
  Duration awaitState(String server, String wanted, Duration limit) throws Exception {
    long start = System.nanoTime();
    while (true) {
      String state = serverStates().getOrDefault(server, "absent");
      if (state.startsWith(wanted)) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      if (System.nanoTime() - start > limit.toNanos()) {
        throw new IllegalStateException(
            "haproxy: " + server + " is " + state + ", not " + wanted + " after " + limit);
      }
      Thread.sleep(20);
    }
  }

  /** One command on the stats socket; its answer (bounded: 5 s, then the socket is closed). */
  private String command(String command) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      CompletableFuture<String> answer =
          CompletableFuture.supplyAsync(
              () -> exchange(channel, command), task -> Thread.ofVirtual().start(task));
      try {
        return answer.get(5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new IOException("haproxy's stats socket did not answer '" + command + "' in 5 s", e);
      } catch (ExecutionException e) {
        throw new IOException("haproxy's stats socket: " + e.getCause().getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static String exchange(SocketChannel channel, String command) {
    try {
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) >= 0) {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      return out.toString(StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Stops HAProxy (SIGTERM, then SIGKILL). Idempotent. */
  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(10));
  }
}
