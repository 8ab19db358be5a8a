package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditQuery;
import dev.openwif.audit.AuditText;
import dev.openwif.audit.ReasonCode;
import dev.openwif.federation.FederationStore;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.store.Stores;
import dev.openwif.testkit.MutableClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 2: unauthenticated junk must not amplify into audit rows. One client address sends
 * 10,000 junk requests to {@code /oauth/token} — malformed JSON, a wrong content type, a form whose
 * 30,000-character parameter name (with an escape sequence) is repeated, unknown providers, other
 * grants — on a clock that stands still, so the address's burst (100) is spent once and every later
 * request is rate limited before its refusal is audited. The audit log must hold a handful of rows
 * whose counts add up to exactly 10,000, none with a text over 200 characters or a control
 * character.
 */
@Tag("crypto-neutral")
class AuditAmplificationIT {
  private static final int REQUESTS = 10_000;
  private static final int BURST = 100; // the default per-address burst
  private static final String LONG_NAME =
      "\u001b[31m" + "N".repeat(30_000); // twice, ~60 KB: under the 64 KiB body limit

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:10Z"));
  private FederationStore store;
  private LiveServer server;

  @BeforeEach
  void start() {
    store = Stores.open(dir.resolve("wif.db").toString());
    server = LiveServer.start(LiveServer.config(dir), store, clock);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static String form(String... pairs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  /** The i-th junk request: content type and body. */
  private static String[] junk(int i) {
    return switch (i % 8) {
      case 0 ->
          new String[] {"application/x-www-form-urlencoded", form(LONG_NAME, "a", LONG_NAME, "b")};
      case 1, 2 -> new String[] {"application/json", "{\"grant_type\": not json"};
      case 3 -> new String[] {"text/plain", "grant_type=whatever"};
      case 4, 5 ->
          new String[] {
            "application/x-www-form-urlencoded",
            form(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", "a.b.c",
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt",
                "identity_provider_id", "wip_made_up_" + i,
                "service_account_id", "sa_" + i)
          };
      case 6 -> new String[] {"application/x-www-form-urlencoded", form("grant_type", "password")};
      default -> new String[] {"application/json", "{}"};
    };
  }

  @Test
  void tenThousandJunkRequestsFromOneAddressWriteAHandfulOfCountedRows() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(4);
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(
          senders.submit(
              () -> {
                for (int i = next.getAndIncrement();
                    i < REQUESTS && System.nanoTime() < deadline;
                    i = next.getAndIncrement()) {
                  String[] request = junk(i);
                  HttpResponse<Void> reply =
                      http.send(
                          HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                              .timeout(Duration.ofSeconds(10))
                              .header("Content-Type", request[0])
                              .POST(HttpRequest.BodyPublishers.ofString(request[1]))
                              .build(),
                          HttpResponse.BodyHandlers.discarding());
                  statuses
                      .computeIfAbsent(reply.statusCode(), s -> new AtomicInteger())
                      .incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(160, TimeUnit.SECONDS);
    }
    senders.shutdown();
    assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum())
        .as("every request answered in time: %s", statuses)
        .isEqualTo(REQUESTS);
    assertThat(statuses).as("no server error").doesNotContainKey(500);
    assertThat(statuses.get(429)).as("rate limited").hasValue(REQUESTS - BURST);

    List<JsonNode> rows = exchangeRows(50);
    assertThat(rows.size())
        .as(
            "audit rows for %s junk requests (first: %s)",
            REQUESTS, rows.isEmpty() ? "" : rows.get(0))
        .isLessThanOrEqualTo(5);

    Map<String, Long> byReason = new HashMap<>();
    for (JsonNode row : rows) {
      JsonNode payload = row.get(row.get("type").asText());
      assertThat(payload.get("outcome").asText()).isEqualTo("failed");
      assertThat(row.path("actor").path("workload").path("client_address").asText())
          .isEqualTo("127.0.0.1");
      byReason.merge(payload.get("reason_code").asText(), payload.get("count").asLong(), Long::sum);
      String detail = payload.get("detail").asText();
      assertThat(detail.length()).isLessThanOrEqualTo(AuditText.MAX_LENGTH);
      assertThat(detail.chars()).noneMatch(Character::isISOControl);
    }
    assertThat(byReason.values().stream().mapToLong(Long::longValue).sum())
        .as("counts add up: %s", byReason)
        .isEqualTo(REQUESTS);
    assertThat(byReason)
        .as("malformed requests past the burst are rate limited before they are audited")
        .containsEntry(ReasonCode.RATE_LIMITED.code(), (long) (REQUESTS - BURST))
        .containsKeys(
            ReasonCode.INVALID_REQUEST.code(),
            ReasonCode.PROVIDER_UNKNOWN.code(),
            ReasonCode.UNSUPPORTED_GRANT_TYPE.code());
  }

  @Test
  void aFinishedMinuteIsStoredByTheTimerAndALaterOneStartsANewRow() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.post("/oauth/token", "application/json", "{", Optional.empty());
    }
    clock.advance(Duration.ofMinutes(1));
    // no audit query: the maintenance timer (every 5 s) stores the finished minute's one row
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<Long> stored = storedCounts();
    while (stored.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(200);
      stored = storedCounts();
    }
    assertThat(stored).containsExactly(3L);

    server.post("/oauth/token", "application/json", "{", Optional.empty());
    assertThat(exchangeRows(10))
        .extracting(r -> r.get(r.get("type").asText()).get("count").asLong())
        .containsExactly(1L, 3L);
  }

  /** The counts of the exchange rows in the store, newest first, without flushing the counter. */
  private List<Long> storedCounts() {
    return store
        .auditLog()
        .list(new AuditQuery(Set.of(), Optional.empty(), Optional.empty(), 10, Optional.empty()))
        .data()
        .stream()
        .filter(AuditEvent.ExchangeAttempt.class::isInstance)
        .map(e -> ((AuditEvent.ExchangeAttempt) e).count())
        .toList();
  }

  /** Every exchange row through the admin API (which first stores what is being counted). */
  private List<JsonNode> exchangeRows(int maxPages) {
    List<JsonNode> rows = new ArrayList<>();
    String after = "";
    for (int page = 0; page < maxPages; page++) {
      JsonNode list =
          server.adminOk(
              "GET",
              "/audit_logs?limit=100&event_types=token_exchange.succeeded,token_exchange.failed"
                  + after,
              null);
      list.get("data").forEach(rows::add);
      if (!list.get("has_more").asBoolean()) {
        break;
      }
      after = "&after=" + rows.getLast().get("id").asText();
    }
    return rows;
  }
}
