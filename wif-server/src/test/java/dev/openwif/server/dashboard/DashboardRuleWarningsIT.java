package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.sts.LiveServer;
import dev.openwif.testkit.TestKeys;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving a mapping in the dashboard over real HTTP (a server on port 0, SQLite in a temp
 * directory): the provider page it redirects to shows the rule lint's warnings for a mapping that
 * matches too broadly, and none for one that names a workload. Checked in the server-rendered HTML.
 */
class DashboardRuleWarningsIT {
  @TempDir static Path dir;
  static LiveServer server;
  static DashboardHttp http;
  static String providerId;
  static String target;

  @BeforeAll
  static void start() {
    server = LiveServer.start(dir);
    http = new DashboardHttp(server.url());
    String project = server.createProject("lint");
    String account = server.createServiceAccount(project, "runner");
    target = project + "/" + account;
    providerId =
        server.createProvider(
            "lint-provider",
            "https://issuer.example",
            "https://wif.example",
            Map.of(
                "type",
                "uploaded_jwks",
                "jwks",
                Map.of("keys", List.of(TestKeys.rsa("k1").toPublicJWK().toJSONObject()))),
            List.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> saveMapping(String key, String value) throws Exception {
    String session = DashboardHttp.sessionOf(http.signIn(LiveServer.ADMIN_KEY));
    String page = "/dashboard/providers/" + providerId + "/mappings/new";
    String csrf = DashboardHttp.csrfOf(http.get(page, Optional.of(session)));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", csrf);
    form.put("name", "mapping-" + key);
    form.put("m_key", key);
    form.put("m_value", value);
    form.put("m_type", "string");
    form.put("target_mode", "existing");
    form.put("target_account", target);
    form.put("permissions", "default");
    form.put("enabled", "on");
    HttpResponse<String> saved = http.post(page, Optional.of(session), form);
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    String location = saved.headers().firstValue("Location").orElseThrow();
    return http.get(location, Optional.of(session));
  }

  @Test
  void saveWhenMappingMatchesOnlyTheAudienceThenTheProviderPageWarns() throws Exception {
    HttpResponse<String> page = saveMapping("aud", "https://wif.example");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("id=\"mapping-warnings\"")
        .contains("The rule matches only aud")
        .contains("Match sub");
  }

  @Test
  void saveWhenMappingNamesTheWorkloadThenNoWarning() throws Exception {
    HttpResponse<String> page = saveMapping("sub", "workload-a");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"notice\"").doesNotContain("mapping-warnings");
  }
}
