package dev.openwif.directory;

import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.Project;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Object mother for federation configuration in exchange tests. */
public final class Fixtures {
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  public static final String ISSUER = "https://issuer.example";
  public static final String AUDIENCE = "openwif-test";

  private Fixtures() {}

  public static WorkloadIdentityProvider provider(String id, String jwksJson) {
    return provider(id, ISSUER, true, new Verification.UploadedJwks(jwksJson), List.of());
  }

  public static WorkloadIdentityProvider provider(
      String id,
      String issuer,
      boolean enabled,
      Verification verification,
      List<AttributeTransformation> ts) {
    return new WorkloadIdentityProvider(
        id,
        "name-" + id,
        Optional.empty(),
        issuer,
        AUDIENCE,
        enabled,
        ts,
        verification,
        false,
        T0,
        T0);
  }

  public static Project project(String id, boolean archived) {
    return new Project(id, "project " + id, T0, archived ? Optional.of(T0) : Optional.empty());
  }

  public static ServiceAccount account(String id, String projectId) {
    return new ServiceAccount(id, projectId, "account " + id, "member", T0);
  }

  public static FederationRule rule(
      String id,
      String providerId,
      String accountId,
      boolean enabled,
      Map<String, Object> matchers) {
    return rule(
        id,
        providerId,
        accountId,
        enabled,
        matchers,
        new Permissions.ServiceAccountDefault(),
        false);
  }

  public static FederationRule rule(
      String id,
      String providerId,
      String accountId,
      boolean enabled,
      Map<String, Object> matchers,
      Permissions permissions,
      boolean clamp) {
    return new FederationRule(
        id,
        providerId,
        Optional.of("rule " + id),
        Optional.empty(),
        enabled,
        matchers,
        "proj_1",
        accountId,
        permissions,
        clamp,
        T0,
        T0);
  }
}
