package dev.openwif.bench.soak;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the audit log through the admin API ({@code GET /v1/organization/audit_logs}, 100 a page,
 * newest first) since a given Unix second, and sums it up: exchange events by outcome (an event
 * with a numeric {@code count} — an aggregated refusal — counts {@code count} times, any other
 * once), the {@code access_token_jti} of every successful exchange, and admin events by {@code
 * "type id"}. Bounded: at most {@link #MAX_PAGES} pages and {@link #MAX_TIME}.
 */
final class AuditReader {
  static final int MAX_PAGES = 5_000;
  static final Duration MAX_TIME = Duration.ofMinutes(5);

  /** What the audit log holds since the run began. */
  record Summary(
      long rows,
      long exchangeRows,
      long exchangeEvents,
      long succeededEvents,
      long failedEvents,
      long aggregatedRows,
      Set<String> succeededJtis,
      Map<String, Integer> adminRows,
      boolean complete,
      String problem) {}

  private final SoakHttp http;
  private final String adminKey;

  AuditReader(SoakHttp http, String adminKey) {
    this.http = http;
    this.adminKey = adminKey;
  }

  Summary read(long sinceUnixSeconds) throws InterruptedException {
    Totals t = new Totals();
    Optional<String> after = Optional.empty();
    long deadline = System.nanoTime() + MAX_TIME.toNanos();
    for (int page = 0; page < MAX_PAGES; page++) {
      if (System.nanoTime() > deadline) {
        return t.done(false, "stopped after " + MAX_TIME.toMinutes() + " min");
      }
      String path =
          "/v1/organization/audit_logs?limit=100&since="
              + sinceUnixSeconds
              + after.map(a -> "&after=" + URLEncoder.encode(a, StandardCharsets.UTF_8)).orElse("");
      SoakHttp.Answer answer = readPage(path);
      Optional<Map<String, Object>> body = answer.json();
      if (answer.outcome() != Outcome.ACCEPTED || body.isEmpty()) {
        return t.done(false, "an audit page answered " + answer.status());
      }
      if (!(body.get().get("data") instanceof List<?> events)) {
        return t.done(false, "an audit page without data");
      }
      Optional<String> lastId = Optional.empty();
      for (Object item : events) {
        if (item instanceof Map<?, ?> event) {
          t.add(event);
          lastId = Optional.of(String.valueOf(event.get("id")));
        }
      }
      if (!Boolean.TRUE.equals(body.get().get("has_more")) || lastId.isEmpty()) {
        return t.done(true, "");
      }
      after = lastId;
    }
    return t.done(false, "more than " + MAX_PAGES + " pages");
  }

  /** The running sums of {@link #read}. */
  private static final class Totals {
    private long rows;
    private long exchangeRows;
    private long exchangeEvents;
    private long succeeded;
    private long failed;
    private long aggregated;
    private final Set<String> jtis = new HashSet<>();
    private final Map<String, Integer> admin = new HashMap<>();

    void add(Map<?, ?> event) {
      rows++;
      String type = String.valueOf(event.get("type"));
      Map<?, ?> inner = event.get(type) instanceof Map<?, ?> m ? m : Map.of();
      if (!type.startsWith("token_exchange.")) {
        admin.merge(type + " " + inner.get("id"), 1, Integer::sum);
        return;
      }
      exchangeRows++;
      long count = count(event).or(() -> count(inner)).orElse(1L);
      if (count != 1) {
        aggregated++;
      }
      exchangeEvents += count;
      if (type.equals("token_exchange.succeeded")) {
        succeeded += count;
        Object jti = inner.get("access_token_jti");
        if (jti != null) {
          jtis.add(jti.toString());
        }
      } else {
        failed += count;
      }
    }

    Summary done(boolean complete, String problem) {
      return new Summary(
          rows,
          exchangeRows,
          exchangeEvents,
          succeeded,
          failed,
          aggregated,
          Set.copyOf(jtis),
          Map.copyOf(admin),
          complete,
          problem);
    }
  }

  /** A page, retried a few times (the server may be busy right after the load). */
  private SoakHttp.Answer readPage(String path) throws InterruptedException {
    SoakHttp.Answer answer = new SoakHttp.Answer(0, "");
    for (int attempt = 0; attempt < 5; attempt++) {
      answer =
          http.send(
              "GET",
              path,
              Optional.empty(),
              Duration.ofSeconds(60),
              "Authorization",
              "Bearer " + adminKey);
      if (answer.outcome() == Outcome.ACCEPTED) {
        return answer;
      }
      Thread.sleep(2000);
    }
    return answer;
  }

  private static Optional<Long> count(Map<?, ?> object) {
    Object count = object.get("count");
    return count instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
  }
}
