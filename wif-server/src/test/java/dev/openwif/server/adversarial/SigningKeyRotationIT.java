package dev.openwif.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditQuery;
import dev.openwif.federation.FederationStore;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.admin.SigningKeyAdmin;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.store.Stores;
import dev.openwif.token.SigningKeyRotation;
import dev.openwif.token.StoredSigningKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing key rotation against a real server, with the rotation and retirement done as {@code wif
 * signing-keys} does them: by another process on the same database (here a second store handle).
 * The server notices within its re-read interval: after a rotation old tokens still verify on
 * {@code /v1}, new tokens carry the new kid and the JWKS lists both; after the old key is retired
 * its tokens (verified and cached before) are refused and the JWKS lists one key. A plain-text key
 * row is encrypted when the server starts with a master key.
 */
class SigningKeyRotationIT {
  private static final String MASTER = "3q2+7wAAAAD/7q3eAQIDBAUGBwgJCgsMDQ4PEBESExQ=";
  private static final Duration NOTICE_WITHIN = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void rotateThenRetireWhenDoneByAnotherProcessThenServerFollowsAndAudits() throws Exception {
    try (Arena arena =
            Arena.start(dir, Clock.systemUTC(), config -> config.withMasterKey(MASTER)).uploaded();
        FederationStore cliStore = Stores.open(dir.resolve("wif.db").toString())) {
      String oldToken = arena.assertIssued(arena.main().subjectToken(arena.clock));
      String oldKid = kid(oldToken);
      assertThat(models(arena, oldToken)).isEqualTo(200); // verified, and now cached
      assertThat(jwksKids(arena)).containsExactly(oldKid);
      SigningKeyAdmin cli =
          SigningKeyAdmin.forStore(
              cliStore,
              Optional.of(MASTER),
              ServerConfig.DEFAULT_TOKEN_TTL,
              Clock.systemUTC(),
              new RandomIdGenerator());

      SigningKeyRotation.Rotated rotated = cli.rotate(Duration.ZERO, "cli").orElseThrow();

      assertThat(rotated.previousKid()).isEqualTo(oldKid);
      assertThat(rotated.previousVerifiesUntil())
          .isAfter(Instant.now().plus(Duration.ofMinutes(64)))
          .isBefore(Instant.now().plus(Duration.ofMinutes(66)));
      String newKid = rotated.activeKid();
      awaitTrue(
          () -> kid(arena.assertIssued(arena.main().subjectToken(arena.clock))).equals(newKid),
          "new tokens carry the new kid");
      String newToken = arena.assertIssued(arena.main().subjectToken(arena.clock));
      assertThat(kid(newToken)).isEqualTo(newKid);
      assertThat(models(arena, oldToken)).isEqualTo(200);
      assertThat(models(arena, newToken)).isEqualTo(200);
      assertThat(jwksKids(arena)).containsExactlyInAnyOrder(oldKid, newKid);
      assertThat(cliStore.signingKeys().listAll())
          .allSatisfy(row -> assertThat(row.privateJwkJson()).startsWith("wifenc1:"));

      assertThat(cli.retire(oldKid, false, "cli"))
          .isInstanceOfSatisfying(
              SigningKeyRotation.Retirement.Refused.class,
              r -> assertThat(r.reason()).contains("may still verify unexpired tokens"));
      assertThat(cli.retire(newKid, true, "cli"))
          .isInstanceOfSatisfying(
              SigningKeyRotation.Retirement.Refused.class,
              r -> assertThat(r.reason()).contains("active key"));
      assertThat(cli.retire(oldKid, true, "cli"))
          .isEqualTo(new SigningKeyRotation.Retirement.Done(oldKid));

      awaitTrue(() -> models(arena, oldToken) == 401, "the retired key's token is refused");
      assertThat(arena.server.get("/v1/models", Optional.of(oldToken)).body().toString())
          .contains("invalid_token");
      assertThat(models(arena, newToken)).isEqualTo(200);
      assertThat(jwksKids(arena)).containsExactly(newKid);

      cliStore.auditSink().flush();
      List<AuditEvent> audit =
          cliStore
              .auditLog()
              .list(
                  new AuditQuery(
                      Set.of("signing_key.rotated", "signing_key.retired"),
                      Optional.empty(),
                      Optional.empty(),
                      10,
                      Optional.empty()))
              .data();
      assertThat(audit)
          .map(e -> (AuditEvent.AdminChange) e)
          .extracting(AuditEvent.AdminChange::type, AuditEvent.AdminChange::objectId)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("signing_key.retired", oldKid),
              org.assertj.core.groups.Tuple.tuple("signing_key.rotated", newKid));
    }
  }

  @Test
  void startWhenMasterKeySetAfterPlainKeysWereStoredThenTheyAreEncryptedAndJwksUnchanged() {
    Path db = dir.resolve("wif.db");
    String jwksBefore;
    try (FederationStore store = Stores.open(db.toString());
        WifServer server = WifServer.start(LiveServer.config(dir), store, Clock.systemUTC())) {
      jwksBefore = LiveServer.JSON.valueToTree(jwks(server.baseUrl())).toString();
      assertThat(store.signingKeys().listAll())
          .singleElement()
          .satisfies(row -> assertThat(row.privateJwkJson()).startsWith("{"));
    }
    try (LogCapture logs = LogCapture.start();
        FederationStore store = Stores.open(db.toString());
        WifServer server =
            WifServer.start(
                LiveServer.config(dir).withMasterKey(MASTER), store, Clock.systemUTC())) {
      List<StoredSigningKey> rows = store.signingKeys().listAll();
      assertThat(rows)
          .singleElement()
          .satisfies(
              row ->
                  assertThat(row.privateJwkJson()).startsWith("wifenc1:").doesNotContain("\"d\""));
      assertThat(server.unencryptedSigningKeys()).isZero();
      assertThat(LiveServer.JSON.valueToTree(jwks(server.baseUrl())).toString())
          .isEqualTo(jwksBefore);
      assertThat(logs.text())
          .contains("encrypted 1 signing key(s) stored in plain text")
          .doesNotContain(MASTER);
    }
  }

  private static int models(Arena arena, String token) {
    return arena.server.get("/v1/models", Optional.of(token)).status();
  }

  private static String kid(String jwt) {
    return LiveServer.kidOf(jwt);
  }

  private static List<String> jwksKids(Arena arena) {
    return arena.server.jwksKids();
  }

  private static JsonNode jwks(String baseUrl) {
    try {
      String body =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(baseUrl + "/.well-known/jwks.json"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      return LiveServer.JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls until the condition holds, failing after {@link #NOTICE_WITHIN}. */
  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(NOTICE_WITHIN);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + NOTICE_WITHIN + ": " + what);
      }
      Thread.sleep(250);
    }
  }
}
