package dev.openwif.store;

import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.Project;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Object mothers for the store tests; instants are whole milliseconds, as the store keeps them. */
final class Records {
  static final Instant T0 = Instant.ofEpochMilli(1_764_000_000_123L);

  private Records() {}

  static Instant at(long secondsAfterT0) {
    return T0.plusSeconds(secondsAfterT0);
  }

  static Project project(String id, Instant createdAt) {
    return new Project(id, "project " + id, createdAt, Optional.empty());
  }

  static ServiceAccount serviceAccount(String id, String projectId, Instant createdAt) {
    return new ServiceAccount(id, projectId, "account " + id, "member", createdAt);
  }

  static WorkloadIdentityProvider provider(String id, String name, Instant createdAt) {
    return new WorkloadIdentityProvider(
        id,
        name,
        Optional.of("the " + name + " provider"),
        "https://accounts.google.com",
        "https://api.openai.com/v1",
        true,
        List.of(
            new AttributeTransformation("subject", "assertion.sub"),
            new AttributeTransformation("namespace", "assertion['kubernetes.io'].namespace")),
        new Verification.Discovery(Optional.empty()),
        false,
        createdAt,
        createdAt);
  }

  static Map<String, Object> matchers() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sub", "1");
    m.put("count", new BigDecimal("1"));
    m.put("email_verified", true);
    m.put("openai.subject", "system:serviceaccount:default:openai-wif");
    m.put("ratio", new BigDecimal("1.50"));
    return m;
  }

  static FederationRule rule(
      String id,
      String providerId,
      Optional<String> name,
      String serviceAccountId,
      Instant createdAt) {
    return new FederationRule(
        id,
        providerId,
        name,
        Optional.empty(),
        true,
        matchers(),
        "proj_1",
        serviceAccountId,
        new Permissions.ServiceAccountDefault(),
        false,
        createdAt,
        createdAt);
  }
}
