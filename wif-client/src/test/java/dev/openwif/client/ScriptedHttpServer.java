package dev.openwif.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 and a free port that answers from a script: queued responses
 * first, then the fallback. Records every request. Can hold responses until released.
 */
public final class ScriptedHttpServer implements AutoCloseable {
  /** One scripted answer. */
  public record Reply(int status, String body, Map<String, String> headers, Duration delay) {
    public static Reply json(int status, String body) {
      return new Reply(status, body, Map.of("Content-Type", "application/json"), Duration.ZERO);
    }

    /** A successful RFC 8693 token exchange response. */
    public static Reply tokenExchange(String accessToken, long expiresIn) {
      return json(
          200,
          "{\"access_token\":\""
              + accessToken
              + "\",\"issued_token_type\":"
              + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\","
              + "\"expires_in\":"
              + expiresIn
              + "}");
    }

    public static Reply text(int status, String body) {
      return new Reply(status, body, Map.of("Content-Type", "text/plain"), Duration.ZERO);
    }

    public Reply withHeader(String name, String value) {
      Map<String, String> copy = new java.util.HashMap<>(headers);
      copy.put(name, value);
      return new Reply(status, body, copy, delay);
    }

    public Reply delayedBy(Duration d) {
      return new Reply(status, body, headers, d);
    }
  }

  /** What the server received. */
  public record Recorded(String method, URI uri, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (var entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) {
          return entry.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Function<Recorded, Reply>> script =
      new ConcurrentLinkedQueue<>();
  private volatile Function<Recorded, Reply> fallback = r -> Reply.text(404, "not scripted");
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  private ScriptedHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  public static ScriptedHttpServer start() {
    try {
      return new ScriptedHttpServer();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  public String hostAndPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public ScriptedHttpServer then(Reply reply) {
    script.add(r -> reply);
    return this;
  }

  public ScriptedHttpServer then(Function<Recorded, Reply> reply) {
    script.add(reply);
    return this;
  }

  public ScriptedHttpServer otherwise(Reply reply) {
    fallback = r -> reply;
    return this;
  }

  public ScriptedHttpServer otherwise(Function<Recorded, Reply> reply) {
    fallback = reply;
    return this;
  }

  /** Responses wait until {@link #release()}. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  public void release() {
    gate.countDown();
  }

  public List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Recorded recorded =
          new Recorded(
              exchange.getRequestMethod(),
              exchange.getRequestURI(),
              Map.copyOf(exchange.getRequestHeaders()),
              body);
      requests.add(recorded);
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new IOException("held response never released");
      }
      Function<Recorded, Reply> next = script.poll();
      Reply reply = (next != null ? next : fallback).apply(recorded);
      if (!reply.delay().isZero()) {
        Thread.sleep(reply.delay().toMillis());
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    gate.countDown();
    server.stop(0);
  }
}
