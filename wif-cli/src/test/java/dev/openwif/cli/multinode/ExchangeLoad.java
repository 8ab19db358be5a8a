package dev.openwif.cli.multinode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady token-exchange load: {@code clients} threads, each posting one exchange to a URL (the
 * balancer) and pausing between exchanges. A client that gets no answer (connection refused or
 * reset, timeout) or a {@code 502}, {@code 503} or {@code 504} tries once more after 200 ms, as an
 * SDK would; an exchange that still did not succeed is a failure. Every exchange is counted under
 * the phase in force when it started. Thread-safe.
 */
final class ExchangeLoad implements AutoCloseable {
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);
  private static final Set<Integer> RETRIED = Set.of(502, 503, 504);
  private static final int SAMPLES = 5;

  /** What one phase saw. */
  record Tally(long ok, long okAfterRetry, long failed, List<String> failures) {
    long total() {
      return ok + okAfterRetry + failed;
    }

    @Override
    public String toString() {
      return total()
          + " exchanges: "
          + ok
          + " ok at once, "
          + okAfterRetry
          + " ok after one retry, "
          + failed
          + " failed"
          + (failures.isEmpty() ? "" : " " + failures);
    }
  }

  private static final class Counts {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong okAfterRetry = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final List<String> failures = new ArrayList<>();

    synchronized void sample(String failure) {
      if (failures.size() < SAMPLES) {
        failures.add(failure);
      }
    }

    synchronized Tally tally() {
      return new Tally(ok.get(), okAfterRetry.get(), failed.get(), List.copyOf(failures));
    }
  }

  private final HttpClient http;
  private final URI tokenUrl;
  private final String body;
  private final Duration pause;
  private final List<Thread> clients = new ArrayList<>();
  private final Map<String, Counts> phases = new ConcurrentHashMap<>();
  private volatile String phase = "start";
  private volatile boolean running = true;

  private ExchangeLoad(HttpClient http, String baseUrl, String body, Duration pause) {
    this.http = http;
    this.tokenUrl = URI.create(baseUrl + "/oauth/token");
    this.body = body;
    this.pause = pause;
  }

  /** Starts {@code clients} threads posting {@code body} to {@code baseUrl}'s token endpoint. */
  static ExchangeLoad start(
      HttpClient http, String baseUrl, String body, int clients, Duration pause, String phase) {
    ExchangeLoad load = new ExchangeLoad(http, baseUrl, body, pause);
    load.phase(phase);
    for (int i = 0; i < clients; i++) {
      load.clients.add(Thread.ofPlatform().daemon().name("exchange-client-" + i).start(load::run));
    }
    return load;
  }

  /** Counts the exchanges that start from now on under {@code name}. */
  void phase(String name) {
    phases.computeIfAbsent(name, n -> new Counts());
    phase = name;
  }

  Tally tally(String name) {
    Counts counts = phases.get(name);
    return counts == null ? new Tally(0, 0, 0, List.of()) : counts.tally();
  }

  private void run() {
    while (running) {
      Counts counts = phases.get(phase);
      String first = attempt();
      if (first.isEmpty()) {
        counts.ok.incrementAndGet();
      } else if (!first.startsWith("retry:")) {
        counts.failed.incrementAndGet();
        counts.sample(first);
      } else {
        sleep(RETRY_PAUSE);
        String second = attempt();
        if (second.isEmpty()) {
          counts.okAfterRetry.incrementAndGet();
        } else {
          counts.failed.incrementAndGet();
          counts.sample(first + " then " + second);
        }
      }
      sleep(pause);
    }
  }

  /** One exchange: empty when it succeeded, else why, prefixed {@code retry:} when retryable. */
  private String attempt() {
    try {
      HttpResponse<String> response = post(http, tokenUrl, body);
      if (response.statusCode() == 200 && response.body().contains("\"access_token\"")) {
        return "";
      }
      String why = response.statusCode() + " " + abbreviate(response.body());
      return RETRIED.contains(response.statusCode()) ? "retry:" + why : why;
    } catch (IOException e) {
      return "retry:" + e.getClass().getSimpleName() + " " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return "interrupted";
    }
  }

  /** {@code POST} of a token-exchange body (JSON) to {@code tokenUrl}. */
  static HttpResponse<String> post(HttpClient http, URI tokenUrl, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(tokenUrl)
            .timeout(ATTEMPT_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() > 160 ? oneLine.substring(0, 160) + "..." : oneLine;
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops the clients (each finishes its exchange: two attempts of 5 s at most). Idempotent. */
  void stop() {
    running = false;
    try {
      for (Thread client : clients) {
        if (!client.join(Duration.ofSeconds(15))) {
          client.interrupt();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
