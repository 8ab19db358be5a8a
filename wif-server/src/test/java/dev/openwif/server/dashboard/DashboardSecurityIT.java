package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.FederationStore;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.store.Stores;
import dev.openwif.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's defences over real HTTP against a running server whose clock the test moves:
 * sign-in and its throttle, the session cookie's flags, CSRF on state-changing forms, the security
 * headers, escaping of hostile names, session expiry (idle and absolute) and sign-out.
 */
class DashboardSecurityIT {
  @TempDir static Path dir;
  static MutableClock clock = MutableClock.startingNow();
  static FederationStore store;
  static LiveServer server;
  static DashboardHttp http;

  @BeforeAll
  static void start() {
    store = Stores.open(dir.resolve("wif.db").toString());
    server = LiveServer.start(LiveServer.config(dir), store, clock);
    http = new DashboardHttp(server.url());
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  private static String signIn() throws Exception {
    HttpResponse<String> res = http.signIn(LiveServer.ADMIN_KEY);
    assertThat(res.statusCode()).isEqualTo(303);
    return DashboardHttp.sessionOf(res);
  }

  @Test
  void signInWhenKeyValidThenSessionCookieIsHttpOnlyStrictScopedAndNotTheKey() throws Exception {
    HttpResponse<String> res = http.signIn(LiveServer.ADMIN_KEY);
    assertThat(res.statusCode()).isEqualTo(303);
    assertThat(res.headers().firstValue("Location")).contains("/dashboard/providers");
    String cookie = res.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .startsWith(Web.COOKIE + "=")
        .contains("; HttpOnly", "; SameSite=Strict", "; Path=/dashboard")
        .doesNotContain(LiveServer.ADMIN_KEY)
        .doesNotContain("Secure"); // the server is reached over plain http here
    String session = DashboardHttp.sessionOf(res);
    assertThat(session).matches("[A-Za-z0-9_-]{43}"); // 256 random bits
    assertThat(http.get("/dashboard/providers", Optional.of(session)).statusCode()).isEqualTo(200);
  }

  @Test
  void cookieWhenPublicUrlIsHttpsThenSecure() {
    assertThat(DashboardSettings.forPublicUrl("https://wif.example.com").secureCookie()).isTrue();
    assertThat(DashboardSettings.forPublicUrl("http://127.0.0.1:8080").secureCookie()).isFalse();
  }

  @Test
  void signInWhenKeyWrongThen401AndNoCookie() throws Exception {
    HttpResponse<String> res = http.signIn("sk-admin-wrong-0000000000000000000000000000");
    assertThat(res.statusCode()).isEqualTo(401);
    assertThat(res.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(res.body()).contains("That admin key is not valid.");
  }

  @Test
  void pagesWhenSignedOutThenRedirectToSignIn() throws Exception {
    HttpResponse<String> res = http.get("/dashboard/providers", Optional.empty());
    assertThat(res.statusCode()).isEqualTo(303);
    assertThat(res.headers().firstValue("Location")).contains("/dashboard/sign-in");
    HttpResponse<String> forged = http.get("/dashboard/providers", Optional.of("forged"));
    assertThat(forged.statusCode()).isEqualTo(303);
  }

  @Test
  void everyPageWhenServedThenCarriesTheSecurityHeaders() throws Exception {
    String session = signIn();
    for (String path : List.of("/dashboard/sign-in", "/dashboard/providers")) {
      HttpResponse<String> res =
          http.get(path, path.endsWith("providers") ? Optional.of(session) : Optional.empty());
      assertThat(res.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(
              csp ->
                  assertThat(csp)
                      .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
                      .doesNotContain("unsafe-inline"));
      assertThat(res.headers().firstValue("X-Frame-Options")).contains("DENY");
      assertThat(res.headers().firstValue("Referrer-Policy")).contains("no-referrer");
      assertThat(res.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(res.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(res.body()).doesNotContain("<script>").doesNotContain("style=");
    }
  }

  @Test
  void statePostWhenCsrfTokenMissingOrWrongThen403AndNothingChanges() throws Exception {
    String session = signIn();
    String csrf = DashboardHttp.csrfOf(http.get("/dashboard/providers", Optional.of(session)));
    Map<String, String> provider =
        Map.of(
            "name", "csrf-probe",
            "issuer", "https://issuer.example.com",
            "audience", "aud",
            "verification", "discovery",
            "op", "save");

    HttpResponse<String> without =
        http.post("/dashboard/providers/new", Optional.of(session), provider);
    assertThat(without.statusCode()).isEqualTo(403);
    Map<String, String> wrong = new java.util.HashMap<>(provider);
    wrong.put("csrf", csrf.substring(1) + "x");
    assertThat(http.post("/dashboard/providers/new", Optional.of(session), wrong).statusCode())
        .isEqualTo(403);
    // another session's token is as wrong as a made-up one
    String other = signIn();
    String otherCsrf = DashboardHttp.csrfOf(http.get("/dashboard/providers", Optional.of(other)));
    wrong.put("csrf", otherCsrf);
    assertThat(http.post("/dashboard/providers/new", Optional.of(session), wrong).statusCode())
        .isEqualTo(403);
    assertThat(
            server
                .adminOk("GET", "/workload_identity_providers?limit=100", null)
                .get("data")
                .findValuesAsText("name"))
        .doesNotContain("csrf-probe");

    // sign-out is a state change too
    assertThat(http.post("/dashboard/sign-out", Optional.of(session), Map.of()).statusCode())
        .isEqualTo(403);
    assertThat(http.get("/dashboard/providers", Optional.of(session)).statusCode()).isEqualTo(200);

    Map<String, String> right = new java.util.HashMap<>(provider);
    right.put("csrf", csrf);
    HttpResponse<String> saved = http.post("/dashboard/providers/new", Optional.of(session), right);
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
  }

  @Test
  void hostileNameWhenRenderedThenEscaped() throws Exception {
    String hostile = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    String id =
        server.createProvider(
            hostile,
            "https://issuer.example.com",
            "aud\"<b>",
            Map.of("type", "discovery"),
            List.of());
    String session = signIn();
    for (String path :
        List.of(
            "/dashboard/providers",
            "/dashboard/providers/" + id,
            "/dashboard/providers/" + id + "/edit")) {
      String body = http.get(path, Optional.of(session)).body();
      assertThat(body).as(path).doesNotContain("<script>alert").doesNotContain("<img src=x");
      // as text, or (on the edit form) inside a quoted attribute whose quotes are escaped
      assertThat(body)
          .as(path)
          .containsAnyOf(
              "&lt;script&gt;alert(1)&lt;/script&gt;",
              "value=\"&lt;script>alert(1)&lt;/script>&#34;");
    }
  }

  @Test
  void sessionWhenIdleThirtyMinutesThenEnded() throws Exception {
    String session = signIn();
    clock.advance(Duration.ofMinutes(29));
    assertThat(http.get("/dashboard/providers", Optional.of(session)).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(30));
    HttpResponse<String> res = http.get("/dashboard/providers", Optional.of(session));
    assertThat(res.statusCode()).isEqualTo(303);
    assertThat(res.headers().firstValue("Location")).contains("/dashboard/sign-in");
  }

  @Test
  void sessionWhenUsedForEightHoursThenEndedAnyway() throws Exception {
    String session = signIn();
    for (int i = 0; i < 24; i++) { // every 20 minutes for 8 hours: never idle
      clock.advance(Duration.ofMinutes(20));
      int status = http.get("/dashboard/providers", Optional.of(session)).statusCode();
      if (i < 23) {
        assertThat(status).as("after %d minutes", (i + 1) * 20).isEqualTo(200);
      } else {
        assertThat(status).as("after 8 hours").isEqualTo(303);
      }
    }
  }

  @Test
  void signOutWhenPostedWithCsrfThenSessionEndedServerSide() throws Exception {
    String session = signIn();
    String csrf = DashboardHttp.csrfOf(http.get("/dashboard/providers", Optional.of(session)));
    HttpResponse<String> out =
        http.post("/dashboard/sign-out", Optional.of(session), Map.of("csrf", csrf));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
    // the old cookie, replayed, no longer opens anything
    assertThat(http.get("/dashboard/providers", Optional.of(session)).statusCode()).isEqualTo(303);
  }

  @Test
  void sessionWhenItsAdminKeyIsRevokedThenEnded() throws Exception {
    AdminKeys keys =
        new AdminKeys(store.adminKeys(), clock, new RandomIdGenerator(), new SecureRandom());
    AdminKeys.Created created = keys.create("short-lived");
    HttpResponse<String> res = http.signIn(created.secret());
    String session = DashboardHttp.sessionOf(res);
    assertThat(http.get("/dashboard/providers", Optional.of(session)).statusCode()).isEqualTo(200);
    keys.revoke(created.key().id());
    assertThat(http.get("/dashboard/providers", Optional.of(session)).statusCode()).isEqualTo(303);
  }

  @Test
  void formWhenObjectUnknownThen404PageNeverA500() throws Exception {
    String session = signIn();
    String csrf = DashboardHttp.csrfOf(http.get("/dashboard/providers", Optional.of(session)));
    HttpResponse<String> res =
        http.post(
            "/dashboard/providers/wip_unknown/enabled",
            Optional.of(session),
            Map.of("csrf", csrf, "enabled", "false"));
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(res.body()).contains("No workload identity provider found with id");
    assertThat(http.get("/dashboard/projects/proj_unknown", Optional.of(session)).statusCode())
        .isEqualTo(404);
    // an id with a control character is "not found" before it reaches the database
    assertThat(http.get("/dashboard/providers/wip%00x", Optional.of(session)).statusCode())
        .isEqualTo(404);
    assertThat(http.get("/dashboard/audit?after=x%00", Optional.of(session)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void mappingWhenNewAccountNameRefusedThenNoProjectIsCreatedBehindIt() throws Exception {
    String providerId =
        server.createProvider(
            "orphan-check",
            "https://issuer.example.com",
            "https://api.openai.com/v1",
            Map.of("type", "discovery"),
            List.of());
    String session = signIn();
    String path = "/dashboard/providers/" + providerId + "/mappings/new";
    String csrf = DashboardHttp.csrfOf(http.get(path, Optional.of(session)));
    Map<String, String> form = new java.util.HashMap<>();
    form.put("csrf", csrf);
    form.put("name", "m");
    form.put("m_key", "sub");
    form.put("m_value", "x");
    form.put("target_mode", "new");
    form.put("new_project", "");
    form.put("new_project_name", "orphan-project-check");
    form.put("new_account_name", "a".repeat(300));
    form.put("permissions", "default");

    HttpResponse<String> res = http.post(path, Optional.of(session), form);

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(server.adminOk("GET", "/projects?limit=100", null).toString())
        .doesNotContain("orphan-project-check");
  }

  @Test
  void signInWhenPostedFromAnotherSiteThen403AndNoCookie() throws Exception {
    HttpResponse<String> res =
        http.postWithHeader(
            "/dashboard/sign-in",
            Map.of("admin_key", LiveServer.ADMIN_KEY),
            "Sec-Fetch-Site",
            "cross-site");
    assertThat(res.statusCode()).isEqualTo(403);
    assertThat(res.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(
            http.postWithHeader(
                    "/dashboard/sign-in",
                    Map.of("admin_key", LiveServer.ADMIN_KEY),
                    "Sec-Fetch-Site",
                    "same-origin")
                .statusCode())
        .isEqualTo(303);
  }

  @Test
  void tokenDebuggerWhenPostedWithoutCsrfThen403() throws Exception {
    String session = signIn();
    HttpResponse<String> res =
        http.post(
            "/dashboard/debugger",
            Optional.of(session),
            Map.of("token", "a.b.c", "provider", "wip_x", "account", "svc_x"));
    assertThat(res.statusCode()).isEqualTo(403);
  }
}
