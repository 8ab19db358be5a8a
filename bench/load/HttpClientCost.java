// What one upstream call costs the JVM's CPU, by client: the JDK's java.net.http HttpClient as the proxy
// used to configure it (HTTP/1.1, virtual-thread executor, a per-request timeout), Helidon WebClient 4 as the
// proxy configures it now (HTTP/1.1 keep-alive pool, blocking on the calling virtual thread, connect and read
// timeouts, no redirects), and a minimal blocking HTTP/1.1 keep-alive client on plain sockets (the floor).
// 32 virtual threads call GET URL for SECONDS each way (after a warm-up of the same length) and the process
// CPU time per request is printed. A single-file program; Helidon WebClient must be on the class path:
//   CP=$(cd wif-server && mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)  # or any list
//   java -cp "$CP" bench/load/HttpClientCost.java http://127.0.0.1:PORT/v1/models [SECONDS] [CLIENTS]
// CLIENTS is a comma-separated subset of jdk-httpclient,helidon-webclient,blocking-socket (default: all).
// Run by hand beside run-proxy-bench.sh's nginx (or any fast local server); loopback only.
import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

public class HttpClientCost {
  interface Call {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    long seconds = args.length > 1 ? Long.parseLong(args[1]) : 10;
    HttpClient jdk =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(600)).build();
    record Connection(Socket socket, InputStream in, OutputStream out) {}
    ThreadLocal<Connection> connections = new ThreadLocal<>();
    byte[] get =
        ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    Call jdkCall =
        () -> {
          HttpResponse<InputStream> r = jdk.send(request, HttpResponse.BodyHandlers.ofInputStream());
          try (InputStream in = r.body()) {
            in.readAllBytes();
          }
        };
    WebClient helidon =
        WebClient.builder()
            .baseUri(uri.getScheme() + "://" + uri.getAuthority())
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(600))
            .followRedirects(false)
            .shareConnectionCache(false)
            .build();
    String path = uri.getRawPath();
    Call helidonCall =
        () -> {
          try (HttpClientResponse r = helidon.get(path).request();
              InputStream in = r.inputStream()) {
            in.readAllBytes();
          }
        };
    Call socketCall =
        () -> {
          Connection c = connections.get();
          if (c == null) {
            Socket s = new Socket(uri.getHost(), uri.getPort());
            s.setTcpNoDelay(true);
            c = new Connection(s, new BufferedInputStream(s.getInputStream()), s.getOutputStream());
            connections.set(c);
          }
          c.out().write(get);
          c.out().flush();
          readResponse(c.in());
        };
    List<String> names =
        List.of(
            (args.length > 2 ? args[2] : "jdk-httpclient,helidon-webclient,blocking-socket")
                .split(","));
    for (String name : names) {
      Call call =
          switch (name) {
            case "jdk-httpclient" -> jdkCall;
            case "helidon-webclient" -> helidonCall;
            case "blocking-socket" -> socketCall;
            default -> throw new IllegalArgumentException("unknown client " + name);
          };
      run(call, seconds); // warm-up
      long[] r = run(call, seconds);
      System.out.printf(
          "%s: %,d requests in %d s, %,.0f req/s, process CPU %.1f µs/request%n",
          name, r[0], seconds, r[0] / (double) seconds, r[1] / 1000.0 / r[0]);
    }
  }

  /** {requests, process CPU ns} of 32 virtual threads calling for {@code seconds}. */
  static long[] run(Call call, long seconds) throws Exception {
    OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    LongAdder done = new LongAdder();
    long cpu = os.getProcessCpuTime();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 32; i++) {
        pool.submit(
            () -> {
              while (System.nanoTime() < end) {
                call.run();
                done.increment();
              }
              return null;
            });
      }
    }
    return new long[] {done.sum(), os.getProcessCpuTime() - cpu};
  }

  /** Reads one HTTP/1.1 response with a Content-Length body. */
  static void readResponse(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    long length = 0;
    while (true) {
      int c = in.read();
      if (c < 0) throw new IOException("closed");
      if (c == '\n') {
        String h = line.toString().trim();
        if (h.isEmpty()) break;
        if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Long.parseLong(h.substring(15).trim());
        }
        line.setLength(0);
      } else {
        line.append((char) c);
      }
    }
    in.readNBytes((int) length);
  }
}
