package dev.openwif.bench.soak;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.openwif.testkit.TestIssuer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Configures the server for the soak through its admin API: a project, two service accounts, one
 * provider for the driver's issuer (OIDC discovery, replay protection on) and two rules — {@code
 * sub = soak-good} to the first account, {@code sub = soak-short} to the second with the access
 * token clamped to the subject token's expiry (that is how the driver gets access tokens that
 * expire during the run).
 */
final class SoakSetup {
  /** The ids the traffic needs. */
  record Ids(String projectId, String goodAccount, String shortAccount, String providerId) {}

  private final SoakHttp http;
  private final String adminKey;

  SoakSetup(SoakHttp http, String adminKey) {
    this.http = http;
    this.adminKey = adminKey;
  }

  Ids configure(TestIssuer issuer) throws InterruptedException {
    String project = create("/v1/organization/projects", Map.of("name", "soak"));
    String good =
        create(
            "/v1/organization/projects/" + project + "/service_accounts",
            Map.of("name", "soak-good", "create_service_account_only", true));
    String shortLived =
        create(
            "/v1/organization/projects/" + project + "/service_accounts",
            Map.of("name", "soak-short", "create_service_account_only", true));
    String provider =
        create(
            "/v1/organization/workload_identity_providers",
            Map.of(
                "name",
                "soak-issuer",
                "type",
                "oidc",
                "issuer",
                issuer.issuer(),
                "audience",
                SubjectTokens.AUDIENCE,
                "verification",
                Map.of("type", "discovery"),
                "replay_protection",
                true,
                "attribute_transformations",
                List.of(Map.of("attribute", "subject", "expression", "assertion.sub"))));
    rule(provider, "soak-good", SubjectTokens.GOOD_SUBJECT, project, good, false);
    rule(provider, "soak-short", SubjectTokens.SHORT_SUBJECT, project, shortLived, true);
    return new Ids(project, good, shortLived, provider);
  }

  private void rule(
      String provider, String name, String subject, String project, String account, boolean clamp)
      throws InterruptedException {
    create(
        "/v1/organization/workload_identity_providers/" + provider + "/federation_rules",
        Map.of(
            "name", name,
            "attribute_matchers", Map.of("sub", subject, "openai.subject", subject),
            "project_id", project,
            "service_account_id", account,
            "permissions", Map.of("type", "service_account_default"),
            "clamp_to_subject_token_expiry", clamp));
  }

  private String create(String path, Map<String, ?> body) throws InterruptedException {
    SoakHttp.Answer answer =
        http.send(
            "POST",
            path,
            Optional.of(JSONObjectUtils.toJSONString(body)),
            Duration.ofSeconds(30),
            "Authorization",
            "Bearer " + adminKey);
    Object id = answer.json().map(m -> m.get("id")).orElse(null);
    if (answer.outcome() != Outcome.ACCEPTED || id == null) {
      throw new IllegalStateException(
          "setup: POST "
              + path
              + " answered "
              + answer.status()
              + ": "
              + abbreviate(answer.body()));
    }
    return id.toString();
  }

  static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
