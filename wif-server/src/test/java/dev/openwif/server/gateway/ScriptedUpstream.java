package dev.openwif.server.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenAI-compatible upstream scripted by path, on 127.0.0.1 and a free port, that records the
 * last request it received. {@code /v1/responses} answers a valid Responses object (with {@code
 * "stream":true}: Responses SSE events, the text in five deltas 200 ms apart), {@code POST
 * /v1/files} takes a multipart upload and records the size and SHA-256 of its {@code file} part,
 * {@code /v1/stream} five SSE events 200 ms apart, {@code /v1/long-stream} up to 100 events (and
 * notes when its reader goes away), {@code /v1/bad} a 400 OpenAI error, {@code /v1/key-refused} a
 * 401 for the upstream key, {@code /v1/slow} answers after 3 s, {@code /v1/silent-after-headers}
 * sends its headers and then nothing for 10 s, {@code /v1/stall-mid-stream} one SSE event and then
 * nothing for 10 s, {@code /v1/cut-mid-stream} one SSE event and then drops the connection (no end
 * of body); anything else echoes JSON with OpenAI's response headers and some that must not reach
 * the client.
 */
final class ScriptedUpstream implements AutoCloseable {
  /** What the upstream received (header names lower case). */
  record Received(String method, String uri, Map<String, List<String>> headers, String body) {}

  /** The {@code file} part of the last multipart upload to {@code POST /v1/files}. */
  record Upload(String filename, long bytes, String sha256, String purpose) {}

  static final String RESPONSE_TEXT = "Hello from the scripted upstream";
  private static final List<String> RESPONSE_DELTAS =
      List.of("Hello", " from", " the", " scripted", " upstream");

  /** The one event {@code /v1/stall-mid-stream} and {@code /v1/cut-mid-stream} send. */
  static final String FIRST_EVENT = "data: {\"n\":1}\n\n";

  private static final long HOLD_MILLIS = 10_000;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicReference<Received> last = new AtomicReference<>();
  private final AtomicReference<Upload> lastUpload = new AtomicReference<>();
  private final CountDownLatch longStreamCut = new CountDownLatch(1);

  ScriptedUpstream() {
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  Received last() {
    return last.get();
  }

  /** The last upload to {@code POST /v1/files}, or null before the first. */
  Upload lastUpload() {
    return lastUpload.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
    byte[] raw = ex.getRequestBody().readAllBytes();
    String body = new String(raw, StandardCharsets.UTF_8);
    last.set(new Received(ex.getRequestMethod(), ex.getRequestURI().toString(), headers, body));
    String path = ex.getRequestURI().getPath();
    if (path.equals("/v1/cut-mid-stream")) {
      ex.getResponseHeaders().add("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      ex.getResponseBody().write(FIRST_EVENT.getBytes(StandardCharsets.UTF_8));
      ex.getResponseBody().flush();
      // thrown without closing the exchange: the server drops the connection, no last chunk
      throw new IOException("scripted cut");
    }
    if (path.equals("/v1/files") && ex.getRequestMethod().equals("POST")) {
      path = "POST /v1/files";
    }
    try (ex) {
      switch (path) {
        case "/v1/responses" -> {
          if (body.replace(" ", "").contains("\"stream\":true")) {
            responseStream(ex);
          } else {
            send(ex, 200, "application/json", responseJson());
          }
        }
        case "POST /v1/files" -> upload(ex, raw);
        case "/v1/bad" ->
            send(
                ex,
                400,
                "application/json",
                "{\"error\":{\"message\":\"bad model\",\"type\":\"invalid_request_error\","
                    + "\"param\":\"model\",\"code\":\"model_not_found\"}}");
        case "/v1/key-refused" ->
            send(
                ex,
                401,
                "application/json",
                "{\"error\":{\"message\":\"Incorrect API key provided\","
                    + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        case "/v1/slow" -> {
          sleep(3000);
          send(ex, 200, "application/json", "{}");
        }
        case "/v1/stream" -> stream(ex);
        case "/v1/silent-after-headers" -> {
          ex.getResponseHeaders().add("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, 0);
          ex.getResponseBody().flush();
          sleep(HOLD_MILLIS);
        }
        case "/v1/stall-mid-stream" -> {
          ex.getResponseHeaders().add("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, 0);
          ex.getResponseBody().write(FIRST_EVENT.getBytes(StandardCharsets.UTF_8));
          ex.getResponseBody().flush();
          sleep(HOLD_MILLIS);
        }
        case "/v1/long-stream" -> longStream(ex);
        default -> {
          ex.getResponseHeaders().add("x-request-id", "req_upstream_1");
          ex.getResponseHeaders().add("openai-processing-ms", "12");
          ex.getResponseHeaders().add("x-ratelimit-remaining-requests", "99");
          ex.getResponseHeaders().add("set-cookie", "upstream=secret");
          ex.getResponseHeaders().add("x-upstream-internal", "do-not-pass");
          send(ex, 200, "application/json", "{\"echo\":true}");
        }
      }
    }
  }

  private static void stream(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    for (int i = 1; i <= 5; i++) {
      out.write(("data: {\"n\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (i < 5) {
        sleep(200);
      }
    }
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Responses streaming events: created, the text in five deltas 200 ms apart, completed. */
  private static void responseStream(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    String completed = responseJson().replace("\n", "");
    String created =
        completed
            .replaceFirst("\"status\":\"completed\"", "\"status\":\"in_progress\"")
            .replaceFirst(
                "\"output\":\\[.*\\],\\s*\"parallel_tool_calls\"",
                "\"output\":[],\"parallel_tool_calls\"");
    int sequence = 0;
    event(out, "response.created", "\"response\":" + created, sequence++);
    for (int i = 0; i < RESPONSE_DELTAS.size(); i++) {
      if (i > 0) {
        sleep(200);
      }
      event(
          out,
          "response.output_text.delta",
          "\"item_id\":\"msg_up1\",\"output_index\":0,\"content_index\":0,\"logprobs\":[],"
              + "\"delta\":\""
              + RESPONSE_DELTAS.get(i)
              + "\"",
          sequence++);
    }
    event(out, "response.completed", "\"response\":" + completed, sequence);
  }

  private static void event(OutputStream out, String type, String fields, int sequence)
      throws IOException {
    String data = "{\"type\":\"" + type + "\",\"sequence_number\":" + sequence + "," + fields + "}";
    out.write(("event: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Records the {@code file} part of a multipart upload and answers a File object. */
  private void upload(HttpExchange ex, byte[] raw) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    String boundary =
        type == null || !type.contains("boundary=")
            ? ""
            : type.substring(type.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
    Multipart.Part file = Multipart.part(raw, boundary, "file").orElse(null);
    Multipart.Part purpose = Multipart.part(raw, boundary, "purpose").orElse(null);
    if (file == null || purpose == null) {
      send(
          ex,
          400,
          "application/json",
          "{\"error\":{\"message\":\"file and purpose are required\",\"type\":"
              + "\"invalid_request_error\",\"param\":\"file\",\"code\":null}}");
      return;
    }
    String purposeText = new String(purpose.content(), StandardCharsets.UTF_8);
    lastUpload.set(
        new Upload(
            file.filename(), file.content().length, Multipart.sha256(file.content()), purposeText));
    send(
        ex,
        200,
        "application/json",
        ("{\"id\":\"file-up1\",\"object\":\"file\",\"bytes\":%d,\"created_at\":1700000000,"
                + "\"filename\":\"%s\",\"purpose\":\"%s\",\"status\":\"processed\"}")
            .formatted(file.content().length, file.filename(), purposeText));
  }

  /** Up to 100 events 100 ms apart; notes when a write fails because the reader went away. */
  private void longStream(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    try {
      for (int i = 1; i <= 100; i++) {
        out.write(("data: {\"n\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        sleep(100);
      }
    } catch (IOException e) {
      longStreamCut.countDown();
    }
  }

  /** Whether {@code /v1/long-stream} saw its reader go away within {@code seconds}. */
  boolean longStreamCutWithin(long seconds) throws InterruptedException {
    return longStreamCut.await(seconds, TimeUnit.SECONDS);
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static String responseJson() {
    return """
        {"id":"resp_up1","object":"response","created_at":1700000000,"status":"completed",
         "error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,
         "model":"gpt-4.1-mini","output":[{"type":"message","id":"msg_up1","status":"completed",
         "role":"assistant","content":[{"type":"output_text","text":"%s","annotations":[]}]}],
         "parallel_tool_calls":true,"previous_response_id":null,"store":false,"temperature":1.0,
         "text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,
         "truncation":"disabled","usage":{"input_tokens":2,"input_tokens_details":
         {"cached_tokens":0,"cache_write_tokens":0},"output_tokens":5,"output_tokens_details":{"reasoning_tokens":0},
         "total_tokens":7},"metadata":{}}
        """
        .formatted(RESPONSE_TEXT);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
