package dev.openwif.bench.soak;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's traffic, one bounded loop per class, each paced at a fixed interval and stopped by
 * {@link #stop()}: good exchanges, hostile exchanges, good gateway calls, hostile gateway calls.
 * Hostile requests carry {@code X-Forwarded-For} addresses from 198.51.100.0/24 (the server trusts
 * 127.0.0.1 as a proxy), so the server's per-address limits see them spread over 250 addresses and
 * never charge the good traffic's address (192.0.2.10); malformed requests come from one address,
 * {@link #MALFORMED_ADDRESS}. Thread-safe.
 */
final class Traffic {
  static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
  static final String GOOD_ADDRESS = "192.0.2.10";

  /**
   * Malformed requests all come from this one address (~40 a minute): refusals before
   * authentication that the server may aggregate into one audit row per address and minute.
   */
  static final String MALFORMED_ADDRESS = "203.0.113.9";

  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final SoakHttp http;
  private final SoakSetup.Ids ids;
  private final SubjectTokens tokens;
  private final BearerForgery forgery;
  private final String adminKey;
  private final Tally tally;
  private final FaultWindows windows;
  private final long startNanos;
  private volatile boolean stopped;

  private volatile Optional<String> latestAccessToken = Optional.empty();
  private final Deque<String> replayable = new ArrayDeque<>(); // guarded by itself
  private final Deque<ExpiringToken> shortLived = new ArrayDeque<>(); // guarded by itself
  private final Set<String> acceptedJtis = ConcurrentHashMap.newKeySet();
  private final List<String> wronglyAccepted = new ArrayList<>(); // guarded by itself
  private final LongAdder hostileAddress = new LongAdder();
  private final AtomicLong lastGoodExchangeMillis = new AtomicLong(-1);
  private final AtomicLong lastGoodGatewayMillis = new AtomicLong(-1);

  private record ExpiringToken(String token, long expiresAtSecond) {}

  Traffic(
      SoakHttp http,
      SoakSetup.Ids ids,
      SubjectTokens tokens,
      BearerForgery forgery,
      String adminKey,
      Tally tally,
      FaultWindows windows,
      long startNanos) {
    this.http = http;
    this.ids = ids;
    this.tokens = tokens;
    this.forgery = forgery;
    this.adminKey = adminKey;
    this.tally = tally;
    this.windows = windows;
    this.startNanos = startNanos;
  }

  void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
  }

  long millis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Runs {@code step} every {@code interval} until {@link #stop()}. */
  void loop(Duration interval, Step step) {
    long n = 0;
    while (!stopped) {
      long began = System.nanoTime();
      try {
        step.run(n++);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        System.err.println("soak: a traffic step failed: " + e);
      }
      long left = interval.toNanos() - (System.nanoTime() - began);
      if (left > 0) {
        try {
          Thread.sleep(Duration.ofNanos(left));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** One step of a loop. */
  @FunctionalInterface
  interface Step {
    void run(long n) throws InterruptedException;
  }

  /** A good exchange; every fifth for the short-lived account (an access token of ~20 s). */
  void goodExchange(long n) throws InterruptedException {
    boolean isShort = n % 5 == 4;
    String subject =
        isShort
            ? tokens.good(SubjectTokens.SHORT_SUBJECT, 20)
            : tokens.good(SubjectTokens.GOOD_SUBJECT, 300);
    long began = millis();
    SoakHttp.Answer answer =
        exchange(subject, isShort ? ids.shortAccount() : ids.goodAccount(), GOOD_ADDRESS);
    Outcome outcome = answer.outcome();
    record("exchange.good", isShort ? "short_lived" : "standard", outcome, began);
    if (outcome != Outcome.ACCEPTED) {
      return;
    }
    Optional<String> access = answer.json().map(m -> m.get("access_token")).map(Object::toString);
    Optional<Map<String, Object>> claims = access.flatMap(Traffic::payload);
    if (access.isEmpty() || claims.isEmpty()) {
      System.err.println("soak: an accepted exchange answered without a readable access token");
      return;
    }
    lastGoodExchangeMillis.set(millis());
    Object jti = claims.get().get("jti");
    if (jti != null) {
      acceptedJtis.add(jti.toString());
    }
    if (isShort) {
      Object exp = claims.get().get("exp");
      synchronized (shortLived) {
        shortLived.addLast(
            new ExpiringToken(access.get(), exp instanceof Number e ? e.longValue() : 0));
        while (shortLived.size() > 64) {
          shortLived.removeFirst();
        }
      }
    } else {
      latestAccessToken = access;
      // replayed later for the same account, so replay protection is the only reason to refuse it
      synchronized (replayable) {
        replayable.addLast(subject);
        while (replayable.size() > 32) {
          replayable.removeFirst();
        }
      }
    }
  }

  /** The hostile exchange kinds, cycled. */
  static final List<String> HOSTILE_EXCHANGE_KINDS = hostileExchangeKinds();

  private static List<String> hostileExchangeKinds() {
    List<String> kinds = new ArrayList<>(SubjectTokens.HOSTILE_KINDS);
    kinds.add("replayed");
    kinds.add("wrong_service_account");
    kinds.add("malformed_request");
    return List.copyOf(kinds);
  }

  void hostileExchange(long n) throws InterruptedException {
    String kind = HOSTILE_EXCHANGE_KINDS.get((int) (n % HOSTILE_EXCHANGE_KINDS.size()));
    String address = nextHostileAddress();
    long began = millis();
    SoakHttp.Answer answer;
    switch (kind) {
      case "replayed" -> {
        Optional<String> used;
        synchronized (replayable) {
          used = Optional.ofNullable(replayable.pollFirst());
        }
        if (used.isEmpty()) {
          return;
        }
        answer = exchange(used.get(), ids.goodAccount(), address);
      }
      case "wrong_service_account" ->
          answer =
              exchange(tokens.good(SubjectTokens.GOOD_SUBJECT, 300), ids.shortAccount(), address);
      case "malformed_request" ->
          answer =
              http.send(
                  "POST",
                  "/oauth/token",
                  Optional.of("{\"grant_type\": \"" + GRANT + "\", \"subject_token\": "),
                  TIMEOUT,
                  "X-Forwarded-For",
                  MALFORMED_ADDRESS);
      default -> answer = exchange(tokens.hostile(kind), ids.goodAccount(), address);
    }
    Outcome outcome = answer.outcome();
    record("exchange.hostile", kind, outcome, began);
    if (outcome == Outcome.ACCEPTED) {
      wrong("exchange " + kind + " answered " + answer.status() + " at " + began / 1000 + " s");
    }
  }

  /**
   * A good gateway call with the latest standard access token: the demo model or the model list.
   */
  void goodGateway(long n) throws InterruptedException {
    Optional<String> token = latestAccessToken;
    if (token.isEmpty()) {
      return;
    }
    long began = millis();
    boolean responses = n % 2 == 0;
    SoakHttp.Answer answer =
        responses
            ? http.send(
                "POST",
                "/v1/responses",
                Optional.of("{\"model\": \"gpt-4.1-mini\", \"input\": \"soak " + n + "\"}"),
                TIMEOUT,
                "Authorization",
                "Bearer " + token.get(),
                "X-Forwarded-For",
                GOOD_ADDRESS)
            : http.send(
                "GET",
                "/v1/models",
                Optional.empty(),
                TIMEOUT,
                "Authorization",
                "Bearer " + token.get(),
                "X-Forwarded-For",
                GOOD_ADDRESS);
    record("gateway.good", responses ? "responses" : "models", answer.outcome(), began);
    if (answer.outcome() == Outcome.ACCEPTED) {
      lastGoodGatewayMillis.set(millis());
    }
  }

  /** The hostile bearer kinds, cycled. */
  static final List<String> HOSTILE_BEARER_KINDS = hostileBearerKinds();

  private static List<String> hostileBearerKinds() {
    List<String> kinds = new ArrayList<>(BearerForgery.KINDS);
    kinds.add("expired");
    kinds.add("admin_key");
    return List.copyOf(kinds);
  }

  void hostileGateway(long n) throws InterruptedException {
    String kind = HOSTILE_BEARER_KINDS.get((int) (n % HOSTILE_BEARER_KINDS.size()));
    Optional<String> real = latestAccessToken;
    Optional<String> bearer =
        switch (kind) {
          case "expired" -> expiredToken();
          case "admin_key" -> Optional.of(adminKey);
          default -> real.map(r -> forgery.hostile(kind, r));
        };
    if (bearer.isEmpty()) {
      return;
    }
    long began = millis();
    SoakHttp.Answer answer =
        http.send(
            "POST",
            "/v1/responses",
            Optional.of("{\"model\": \"gpt-4.1-mini\", \"input\": \"hostile\"}"),
            TIMEOUT,
            "Authorization",
            "Bearer " + bearer.get(),
            "X-Forwarded-For",
            nextHostileAddress());
    record("gateway.hostile", kind, answer.outcome(), began);
    if (answer.outcome() == Outcome.ACCEPTED) {
      wrong("bearer " + kind + " answered " + answer.status() + " at " + began / 1000 + " s");
    }
  }

  /** A short-lived access token past its {@code exp} by more than 2 s, if one is. */
  private Optional<String> expiredToken() {
    long now = Instant.now().getEpochSecond();
    synchronized (shortLived) {
      for (ExpiringToken t : shortLived) {
        if (t.expiresAtSecond() > 0 && t.expiresAtSecond() + 2 < now) {
          return Optional.of(t.token());
        }
      }
    }
    return Optional.empty();
  }

  private SoakHttp.Answer exchange(String subjectToken, String account, String address)
      throws InterruptedException {
    String body =
        JSONObjectUtils.toJSONString(
            Map.of(
                "grant_type", GRANT,
                "subject_token", subjectToken,
                "subject_token_type", JWT_TYPE,
                "identity_provider_id", ids.providerId(),
                "service_account_id", account));
    return http.send(
        "POST", "/oauth/token", Optional.of(body), TIMEOUT, "X-Forwarded-For", address);
  }

  private void record(String traffic, String kind, Outcome outcome, long beganMillis) {
    long now = millis();
    boolean inWindow = windows.covers(beganMillis) || windows.covers(now);
    tally.count(traffic, kind, outcome, inWindow, (now - beganMillis) * 1000);
  }

  private String nextHostileAddress() {
    hostileAddress.increment();
    return "198.51.100." + (1 + hostileAddress.sum() % 250);
  }

  private void wrong(String what) {
    System.err.println("soak: WRONGLY ACCEPTED: " + what);
    synchronized (wronglyAccepted) {
      wronglyAccepted.add(what);
    }
  }

  List<String> wronglyAccepted() {
    synchronized (wronglyAccepted) {
      return List.copyOf(wronglyAccepted);
    }
  }

  Set<String> acceptedJtis() {
    return Set.copyOf(acceptedJtis);
  }

  long lastGoodExchangeMillis() {
    return lastGoodExchangeMillis.get();
  }

  long lastGoodGatewayMillis() {
    return lastGoodGatewayMillis.get();
  }

  /** The payload of a compact JWS, if it is one. */
  static Optional<Map<String, Object>> payload(String jws) {
    int first = jws.indexOf('.');
    int second = jws.indexOf('.', first + 1);
    if (first < 0 || second < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          JSONObjectUtils.parse(new Base64URL(jws.substring(first + 1, second)).decodeToString()));
    } catch (ParseException e) {
      return Optional.empty();
    }
  }
}
