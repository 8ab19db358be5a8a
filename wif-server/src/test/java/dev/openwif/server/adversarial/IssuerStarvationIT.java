package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.audit.ReasonCode;
import dev.openwif.server.RateLimits;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One slow issuer must not starve the other tenants: issuer A sleeps 9 s on every discovery and
 * JWKS request (longer than the 5 s fetch timeout), issuer B is healthy, both reached over real
 * HTTP by a real server. While many clients hammer provider A, exchanges for provider B keep their
 * normal latency and all succeed; A's exchanges get a fast 503 {@code temporarily_unavailable}
 * (never longer than the 2 s wait for keys, plus slack) instead of hanging; once A answers normally
 * again, A's exchanges succeed.
 */
@Tag("crypto-neutral")
@ExtendWith(AdversarialCases.class)
class IssuerStarvationIT {
  private static final int A_CLIENTS = 16;
  private static final Duration LOAD = Duration.ofSeconds(6);

  /**
   * Generous: B's exchanges take milliseconds; a slot held by A's fetch would cost 1 s and more.
   */
  private static final Duration B_P99_BOUND = Duration.ofSeconds(1);

  /** The 2 s wait for keys plus slack; before the fix A's exchanges waited for the 5 s fetch. */
  private static final Duration A_REFUSAL_BOUND = Duration.ofMillis(3500);

  @TempDir Path dir;

  record Timed(int status, String error, Duration took) {}

  @Test
  void exchangeWhenOneIssuerHangsThenOtherProvidersKeepTheirLatencyAndItsOwnFailFast()
      throws Exception {
    // every request comes from 127.0.0.1: lift the per-address limits out of the way
    try (Arena arena =
            Arena.start(
                dir,
                Clock.systemUTC(),
                config ->
                    config.withRateLimits(new RateLimits(100_000, 100_000, 100_000, 100_000, 10)));
        TestIssuer slow = TestIssuer.start();
        TestIssuer healthy = TestIssuer.start()) {
      slow.respondSlowly(Duration.ofSeconds(9));
      Federation a = Federation.discovery(arena.server, slow, Federation.allScopes());
      Federation b = Federation.discovery(arena.server, healthy, Federation.allScopes());
      arena.assertIssued(b.subjectToken(arena.clock), b.providerId(), b.accountId());
      // A's first fetch, started when the provider was created, is still sleeping at A
      Optional<String> before = arena.newestExchangeEventId();
      String first = a.subjectToken(arena.clock);
      long started = System.nanoTime();
      LiveServer.Reply pending = arena.exchange(first, a.providerId(), a.accountId());
      Duration pendingTook = Duration.ofNanos(System.nanoTime() - started);
      JsonNode pendingEvent = newestExchangeEvent(arena);

      ConcurrentLinkedQueue<Timed> aReplies = new ConcurrentLinkedQueue<>();
      long loadEnds = System.nanoTime() + LOAD.toNanos();
      CountDownLatch aDone = new CountDownLatch(A_CLIENTS);
      for (int i = 0; i < A_CLIENTS; i++) {
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    while (System.nanoTime() < loadEnds) {
                      aReplies.add(timedExchange(arena, a));
                      sleep(Duration.ofMillis(100));
                    }
                  } finally {
                    aDone.countDown();
                  }
                });
      }
      sleep(Duration.ofMillis(300)); // A's clients are waiting on A's keys now
      List<Timed> bReplies = new ArrayList<>();
      while (System.nanoTime() < loadEnds) {
        bReplies.add(timedExchange(arena, b));
      }
      assertThat(aDone.await(30, TimeUnit.SECONDS)).as("A's clients finished").isTrue();
      Duration p99 = bReplies.isEmpty() ? Duration.ZERO : percentile(bReplies, 0.99);
      System.out.printf(
          "B: %d exchanges, p99 %d ms, max %d ms; A: %d refusals%n",
          bReplies.size(),
          p99.toMillis(),
          bReplies.isEmpty() ? -1 : percentile(bReplies, 1.0).toMillis(),
          aReplies.size());

      assertThat(bReplies).as("B's exchanges during the load").hasSizeGreaterThan(20);
      assertThat(bReplies)
          .as("every exchange for B succeeded while A hung")
          .allSatisfy(r -> assertThat(r.status()).as("status of %s", r).isEqualTo(200));
      assertThat(p99).as("p99 latency of B's exchanges").isLessThan(B_P99_BOUND);

      assertThat(aReplies).as("A's exchanges during the load").isNotEmpty();
      assertThat(aReplies)
          .as("A's exchanges are refused fast, not left hanging")
          .allSatisfy(
              r -> {
                assertThat(r.status()).as("status of %s", r).isEqualTo(503);
                assertThat(r.error()).isEqualTo("temporarily_unavailable");
                assertThat(r.took()).as("latency of %s", r).isLessThan(A_REFUSAL_BOUND);
              });
      assertThat(reasonsOfFailedExchanges(arena))
          .as("precise reasons of A's refusals")
          .isSubsetOf(ReasonCode.ISSUER_KEYS_PENDING.code(), ReasonCode.ISSUER_UNAVAILABLE.code());
      // the first of A's exchanges came while A's first fetch (started when the provider was
      // created) was still sleeping at A: refused within the wait bound as pending, exactly
      assertThat(pendingTook).as("first exchange for A").isLessThan(A_REFUSAL_BOUND);
      assertThat(pending.status())
          .as("first exchange for A: %s", pending.raw().body())
          .isEqualTo(503);
      assertThat(pending.body().path("error").asText()).isEqualTo("temporarily_unavailable");
      assertThat(pending.body().has("access_token")).isFalse();
      assertThat(pendingEvent.path("id").asText()).isNotEqualTo(before.orElse(""));
      JsonNode payload = pendingEvent.get(pendingEvent.get("type").asText());
      assertThat(payload.get("outcome").asText()).isEqualTo("failed");
      assertThat(payload.get("reason_code").asText())
          .as("audit reason, detail: %s", payload.get("detail"))
          .isEqualTo(ReasonCode.ISSUER_KEYS_PENDING.code());
      assertThat(payload.get("subject_token_hash_prefix").asText())
          .isEqualTo(Arena.sha256Hex(first).substring(0, 16));
      assertThat(pending.header("Retry-After")).as("retry-after").isPresent();

      slow.behaveNormally();
      // a fetch still running gives up at its 5 s timeout, and a failed one is retried after the
      // 10 s cool-down: A works again within about 15 s
      long recoveryEnds = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Timed last = timedExchange(arena, a);
      while (last.status() != 200 && System.nanoTime() < recoveryEnds) {
        assertThat(last.took()).as("latency of %s", last).isLessThan(A_REFUSAL_BOUND);
        sleep(Duration.ofMillis(250));
        last = timedExchange(arena, a);
      }
      assertThat(last.status()).as("A after it recovered: %s", last).isEqualTo(200);
      arena.assertIssued(b.subjectToken(arena.clock), b.providerId(), b.accountId());
    }
  }

  private static Timed timedExchange(Arena arena, Federation fed) {
    String token = fed.subjectToken(arena.clock);
    long started = System.nanoTime();
    LiveServer.Reply reply = arena.exchange(token, fed.providerId(), fed.accountId());
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new Timed(reply.status(), reply.body().path("error").asText(""), took);
  }

  private static Duration percentile(List<Timed> replies, double p) {
    List<Duration> sorted = replies.stream().map(Timed::took).sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static JsonNode newestExchangeEvent(Arena arena) {
    JsonNode data =
        arena
            .server
            .adminOk(
                "GET",
                "/audit_logs?limit=1&event_types=token_exchange.succeeded,token_exchange.failed",
                null)
            .get("data");
    assertThat(data.isEmpty()).as("an exchange audit event").isFalse();
    return data.get(0);
  }

  /** The reason codes of the newest 100 failed exchanges (only A's exchanges failed). */
  private static Set<String> reasonsOfFailedExchanges(Arena arena) {
    JsonNode list =
        arena.server.adminOk(
            "GET", "/audit_logs?limit=100&event_types=token_exchange.failed", null);
    List<JsonNode> events = new ArrayList<>();
    list.get("data").forEach(events::add);
    return events.stream()
        .map(e -> e.get(e.get("type").asText()).get("reason_code").asText())
        .collect(Collectors.toSet());
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
