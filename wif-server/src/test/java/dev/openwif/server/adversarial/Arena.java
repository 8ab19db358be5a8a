package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.audit.ReasonCode;
import dev.openwif.federation.FederationStore;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.sts.Federation;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.store.Stores;
import dev.openwif.testkit.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * One adversarial test class's world: a real {@code WifServer} ({@code --dev}, port 0, SQLite in a
 * temp directory) and a real-HTTP {@link TestIssuer}, the federation of {@link Federation}
 * (provider trusting the issuer, rule {@code sub = workload-1} and {@code openai.team = ml}), and
 * the assertions every case makes: exact status, exact OAuth {@code error}, no {@code
 * access_token}, and the exact audit reason of <em>this</em> attempt (a new audit event, with this
 * subject token's hash when one was sent). Every token sent or received is remembered, and at
 * {@link #close()} no captured log line may contain any.
 */
public final class Arena implements AutoCloseable {
  public final LiveServer server;
  public final TestIssuer issuer;
  public final Clock clock;
  private final LogCapture logs;
  private final Optional<AutoCloseable> store;
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();
  private Federation main;

  private Arena(
      LiveServer server,
      TestIssuer issuer,
      LogCapture logs,
      Clock clock,
      Optional<AutoCloseable> store) {
    this.server = server;
    this.issuer = issuer;
    this.logs = logs;
    this.clock = clock;
    this.store = store;
    secrets.add(LiveServer.ADMIN_KEY);
  }

  /**
   * Starts the server and the issuer; {@link #main()} is made by {@link #uploaded()} or {@link
   * #discovery()}.
   */
  public static Arena start(Path dir) {
    LogCapture logs = LogCapture.start();
    return new Arena(
        LiveServer.start(dir), TestIssuer.start(), logs, Clock.systemUTC(), Optional.empty());
  }

  /** Like {@link #start(Path)}, but the server runs on {@code clock} (tests move time by hand). */
  public static Arena start(Path dir, Clock clock) {
    return start(dir, clock, config -> config);
  }

  /**
   * Like {@link #start(Path, Clock)}, with the server's configuration adjusted (e.g. rate limits).
   */
  public static Arena start(Path dir, Clock clock, UnaryOperator<ServerConfig> configure) {
    LogCapture logs = LogCapture.start();
    FederationStore store = Stores.open(dir.resolve("wif.db").toString());
    return new Arena(
        LiveServer.start(configure.apply(LiveServer.config(dir)), store, clock),
        TestIssuer.start(),
        logs,
        clock,
        Optional.of(store));
  }

  /** The main federation with the issuer's current JWKS uploaded. */
  public Arena uploaded() {
    main = Federation.uploaded(server, issuer, Federation.allScopes());
    return this;
  }

  /** The main federation with keys from discovery at the issuer. */
  public Arena discovery() {
    main = Federation.discovery(server, issuer, Federation.allScopes());
    return this;
  }

  public Federation main() {
    return main;
  }

  /** Standard valid claims of the main federation (mutable copy). */
  public Map<String, Object> claims() {
    return new LinkedHashMap<>(main.claims(clock));
  }

  /**
   * Exchanges {@code subjectToken} at the main provider for the main service account (JSON body).
   */
  public LiveServer.Reply exchange(String subjectToken) {
    return exchange(subjectToken, main.providerId(), main.accountId());
  }

  public LiveServer.Reply exchange(String subjectToken, String providerId, String accountId) {
    return send(LiveServer.exchangeParams(subjectToken, providerId, accountId));
  }

  /** Sends these token-endpoint parameters as JSON; remembers every secret in and out. */
  public LiveServer.Reply send(Map<String, ?> params) {
    if (params.get("subject_token") instanceof String subjectToken) {
      remember(subjectToken);
    }
    LiveServer.Reply reply = server.exchangeJson(params);
    JsonNode token = reply.body().path("access_token");
    if (token.isTextual()) {
      remember(token.asText());
    }
    return reply;
  }

  public void remember(String secret) {
    if (secret.length() >= 16) {
      secrets.add(secret);
    }
  }

  /** The log capture running since {@link #start}. */
  public LogCapture logs() {
    return logs;
  }

  /** Every secret remembered so far: the admin key, subject tokens sent, access tokens received. */
  public Set<String> secrets() {
    return Set.copyOf(secrets);
  }

  /** The id of the newest exchange audit event, empty when there is none yet. */
  public Optional<String> newestExchangeEventId() {
    return newestExchangeEvent().map(e -> e.get("id").asText());
  }

  private Optional<JsonNode> newestExchangeEvent() {
    JsonNode list =
        server.adminOk(
            "GET",
            "/audit_logs?limit=1&event_types=token_exchange.succeeded,token_exchange.failed",
            null);
    JsonNode data = list.get("data");
    return data.isEmpty() ? Optional.empty() : Optional.of(data.get(0));
  }

  /**
   * Runs one case: remembers the newest audit event, sends, and asserts the refusal exactly —
   * status, top-level {@code error}, no {@code access_token}, a new audit event with outcome failed
   * and {@code reason}, carrying the hash of the token sent when one was parsed.
   */
  public void assertRefused(Map<String, ?> params, int status, String error, ReasonCode reason) {
    Optional<String> before = newestExchangeEventId();
    LiveServer.Reply reply = send(params);
    assertRefusedReply(
        reply,
        before,
        status,
        error,
        reason,
        Optional.ofNullable((String) params.get("subject_token")));
  }

  /**
   * {@link #assertRefused(Map, int, String, ReasonCode)} for a subject token sent to the main
   * federation.
   */
  public void assertTokenRefused(String subjectToken, ReasonCode reason) {
    assertTokenRefused(subjectToken, main.providerId(), main.accountId(), reason);
  }

  /** A subject token refused with 401 {@code invalid_grant} and {@code reason}. */
  public void assertTokenRefused(
      String subjectToken, String providerId, String accountId, ReasonCode reason) {
    assertRefused(
        LiveServer.exchangeParams(subjectToken, providerId, accountId),
        401,
        "invalid_grant",
        reason);
  }

  /**
   * Posts a raw body with this content type and asserts the refusal exactly (no subject token
   * parsed).
   */
  public void assertRawRefused(
      String contentType, String body, int status, String error, ReasonCode reason) {
    Optional<String> before = newestExchangeEventId();
    LiveServer.Reply reply = server.post("/oauth/token", contentType, body, Optional.empty());
    assertRefusedReply(reply, before, status, error, reason, Optional.empty());
  }

  public void assertRefusedReply(
      LiveServer.Reply reply,
      Optional<String> eventBefore,
      int status,
      String error,
      ReasonCode reason,
      Optional<String> subjectToken) {
    assertThat(reply.status()).as("HTTP status, body %s", reply.raw().body()).isEqualTo(status);
    assertThat(reply.body().path("error").asText()).as("OAuth error").isEqualTo(error);
    assertThat(reply.body().has("access_token"))
        .as("no access_token in %s", reply.raw().body())
        .isFalse();
    assertThat(reply.body().path("error_description").isTextual()).as("error_description").isTrue();
    JsonNode event =
        newestExchangeEvent().orElseThrow(() -> new AssertionError("no audit event recorded"));
    assertThat(event.get("id").asText())
        .as("a new audit event")
        .isNotEqualTo(eventBefore.orElse(""));
    JsonNode payload = event.get(event.get("type").asText());
    assertThat(payload.get("outcome").asText()).isEqualTo("failed");
    assertThat(payload.get("reason_code").asText())
        .as("audit reason, detail: %s", payload.get("detail"))
        .isEqualTo(reason.code());
    JsonNode hash = payload.get("subject_token_hash_prefix");
    // A request refused before it was parsed (body too large, a parameter missing) has no token to
    // hash;
    // every other refusal of a sent token must audit its hash.
    if (subjectToken.isPresent()
        && !subjectToken.get().isEmpty()
        && reason != ReasonCode.INVALID_REQUEST) {
      assertThat(hash).as("audited token hash present").isNotNull();
      assertThat(hash.isNull()).as("audited token hash present").isFalse();
      assertThat(hash.asText())
          .as("audited token hash")
          .isEqualTo(sha256Hex(subjectToken.get()).substring(0, 16));
    }
  }

  /**
   * Asserts a 200 token response and a new success audit event for this token; returns the access
   * token.
   */
  public String assertIssued(String subjectToken, String providerId, String accountId) {
    Optional<String> before = newestExchangeEventId();
    LiveServer.Reply reply = exchange(subjectToken, providerId, accountId);
    assertThat(reply.status()).as("HTTP status, body %s", reply.raw().body()).isEqualTo(200);
    assertThat(reply.body().path("token_type").asText()).isEqualTo("Bearer");
    String accessToken = reply.body().path("access_token").asText();
    assertThat(accessToken).isNotEmpty();
    JsonNode event = newestExchangeEvent().orElseThrow();
    assertThat(event.get("id").asText()).isNotEqualTo(before.orElse(""));
    JsonNode payload = event.get(event.get("type").asText());
    assertThat(payload.get("outcome").asText()).isEqualTo("succeeded");
    assertThat(payload.get("subject_token_hash_prefix").asText())
        .isEqualTo(sha256Hex(subjectToken).substring(0, 16));
    return accessToken;
  }

  public String assertIssued(String subjectToken) {
    return assertIssued(subjectToken, main.providerId(), main.accountId());
  }

  public static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops everything, then fails if any token or key sent or received appears in the captured logs.
   */
  @Override
  public void close() {
    try {
      server.close();
      issuer.close();
      if (store.isPresent()) {
        store.get().close();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      logs.close();
    }
    List<String> leaks = logs.leaks(secrets);
    assertThat(leaks).as("secrets found in captured log output").isEmpty();
  }
}
