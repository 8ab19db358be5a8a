package dev.openwif.server.sts;

import dev.openwif.testkit.TestIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One workload's federation set up through the admin API over HTTP: a project, a service account, a
 * provider trusting {@code issuer} for {@link #AUDIENCE}, and a rule admitting {@code sub =
 * workload-1}. Also mints subject tokens from the issuer.
 */
public record Federation(
    TestIssuer issuer, String projectId, String accountId, String providerId, String ruleId) {
  public static final String AUDIENCE = "openwif-it";
  public static final String SUBJECT = "workload-1";

  /** Keys uploaded as a JWKS (the issuer's current public keys). */
  public static Federation uploaded(
      LiveServer server, TestIssuer issuer, Map<String, Object> permissions) {
    Map<String, Object> verification;
    try {
      verification =
          Map.of(
              "type",
              "uploaded_jwks",
              "jwks",
              LiveServer.JSON.readValue(issuer.jwksJson(), Map.class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return create(server, issuer, verification, permissions);
  }

  /** Keys from OIDC discovery at the issuer over real HTTP (allowed on loopback in dev mode). */
  public static Federation discovery(
      LiveServer server, TestIssuer issuer, Map<String, Object> permissions) {
    return create(server, issuer, Map.of("type", "discovery"), permissions);
  }

  public static Map<String, Object> allScopes() {
    return Map.of("type", "service_account_default");
  }

  public static Map<String, Object> scopes(String... scopes) {
    return Map.of("type", "restricted", "scopes", List.of(scopes));
  }

  private static Federation create(
      LiveServer server,
      TestIssuer issuer,
      Map<String, Object> verification,
      Map<String, Object> permissions) {
    String project = server.createProject("project-" + System.nanoTime());
    String account = server.createServiceAccount(project, "workload");
    String provider =
        server.createProvider(
            "provider-" + System.nanoTime(),
            issuer.issuer(),
            AUDIENCE,
            verification,
            List.of(Map.of("attribute", "team", "expression", "assertion.team")));
    String rule =
        server.createRule(
            provider, Map.of("sub", SUBJECT, "openai.team", "ml"), project, account, permissions);
    return new Federation(issuer, project, account, provider, rule);
  }

  /**
   * Standard claims for this federation's subject: iss, aud, sub, team, iat now, exp now + 10 min.
   */
  public Map<String, Object> claims(Clock clock) {
    Map<String, Object> claims = issuer.standardClaims(AUDIENCE, Duration.ofMinutes(10), clock);
    claims.put("sub", SUBJECT);
    claims.put("team", "ml");
    return claims;
  }

  public String subjectToken(Clock clock) {
    return issuer.token(claims(clock));
  }

  public Map<String, String> exchangeParams(String subjectToken) {
    return LiveServer.exchangeParams(subjectToken, providerId, accountId);
  }
}
