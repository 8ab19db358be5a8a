package dev.openwif.bench.client;

import com.sun.net.httpserver.HttpServer;
import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.WorkloadIdentityCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of {@link WorkloadIdentityCredentials#accessToken()} when the token is cached and far
 * from its refresh time: the path every API call takes. Target: under 100 ns.
 *
 * <p>The first token comes from a real exchange against a local token endpoint on 127.0.0.1 (a JDK
 * HTTP server answering an RFC 8693 response with {@code expires_in} of one day), so the measured
 * object is in exactly the state a workload's is after its first call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CachedTokenBenchmark {
  private HttpServer tokenEndpoint;
  private WorkloadIdentityCredentials credentials;
  private final Clock clock = Clock.systemUTC();

  /** Starts the local token endpoint and fills the cache with one exchange. */
  @Setup(Level.Trial)
  public void exchangeOnce() throws IOException {
    tokenEndpoint =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body =
        ("{\"access_token\":\"bench-access-token\",\"token_type\":\"Bearer\",\"issued_token_type\":"
                + "\"urn:ietf:params:oauth:token-type:access_token\",\"expires_in\":86400}")
            .getBytes(StandardCharsets.UTF_8);
    tokenEndpoint.createContext(
        "/oauth/token",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    tokenEndpoint.start();
    credentials =
        WorkloadIdentityCredentials.builder()
            .identityProviderId("wip_bench")
            .serviceAccountId("sa_bench")
            .provider(SubjectTokenProvider.jwt(() -> "bench.subject.token"))
            .tokenUrl(
                URI.create(
                    "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/oauth/token"))
            .build();
    if (!"bench-access-token".equals(credentials.accessToken())) {
      throw new IllegalStateException("the first exchange did not return the scripted token");
    }
  }

  /** Stops the local token endpoint. */
  @TearDown(Level.Trial)
  public void stop() {
    tokenEndpoint.stop(0);
  }

  /** One caller reading the cached token. */
  @Benchmark
  public String cachedAccessToken() {
    return credentials.accessToken();
  }

  /**
   * Baseline: the one clock read the cached path makes ({@code Clock.systemUTC().millis()}). The
   * difference to {@link #cachedAccessToken()} is the library's own cost; on a loaded machine both
   * grow.
   */
  @Benchmark
  public long baselineClockRead() {
    return clock.millis();
  }

  /**
   * Two callers reading the cached token at once (the volatile read is shared, nothing is locked).
   */
  @Benchmark
  @Threads(2)
  public String cachedAccessTokenTwoThreads() {
    return credentials.accessToken();
  }
}
