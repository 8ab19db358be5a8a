package dev.openwif.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * Configures OpenWIF through the admin API with the guide's own names: one project, one service
 * account per scenario, the provider {@code google-workload-identity-prod} (transformation {@code
 * subject = assertion.sub}) with mapping {@code compute-openai-wif}, and the provider {@code
 * google-gke-prod} (transformation {@code gke_subject = assertion.sub}) with mapping {@code
 * default-openai-wif}. Both providers verify tokens by OIDC discovery, as the guide says. Not
 * thread-safe.
 */
final class GuideSetup {
  static final String PROJECT = "openai-wif-demo";
  static final String COMPUTE_ACCOUNT = "google-workload-identity-prod-openai-wif";
  static final String GKE_ACCOUNT = "google-gke-prod-openai-wif";
  static final String GKE_SUBJECT = "system:serviceaccount:default:openai-wif";

  /** What a workload passes to the token exchange. */
  record Target(String providerId, String serviceAccountId) {
    Target {
      Objects.requireNonNull(providerId, "providerId");
      Objects.requireNonNull(serviceAccountId, "serviceAccountId");
    }
  }

  /** The two scenarios' targets. */
  record Configured(Target compute, Target gke) {}

  private final AdminClient admin;
  private final DemoConsole console;
  private final ObjectMapper json;

  GuideSetup(AdminClient admin, DemoConsole console, ObjectMapper json) {
    this.admin = admin;
    this.console = console;
    this.json = json;
  }

  /**
   * Creates everything; {@code computeClaims} are the {@code sub} and {@code email} read from a
   * metadata token, {@code clusterIssuer} the emulated cluster's issuer URL.
   */
  Configured configure(
      String metadataIssuer, Map<String, String> computeClaims, String clusterIssuer) {
    String projectId =
        id(admin.post("/projects", object(Map.of("name", PROJECT))), "project " + PROJECT);
    console.ok("project          " + PROJECT);
    console.line("    id           " + projectId);
    String computeAccount = account(projectId, COMPUTE_ACCOUNT);
    String gkeAccount = account(projectId, GKE_ACCOUNT);

    String computeProvider =
        provider(
            "google-workload-identity-prod",
            "Production Google Cloud workloads",
            metadataIssuer,
            "subject");
    String gkeProvider =
        provider("google-gke-prod", "Production GKE cluster", clusterIssuer, "gke_subject");
    rule(
        computeProvider,
        "compute-openai-wif",
        "Production Compute Engine OpenAI API workload",
        computeClaims,
        projectId,
        computeAccount,
        COMPUTE_ACCOUNT);
    rule(
        gkeProvider,
        "default-openai-wif",
        "Default namespace GKE OpenAI API workload",
        Map.of("sub", GKE_SUBJECT),
        projectId,
        gkeAccount,
        GKE_ACCOUNT);
    return new Configured(
        new Target(computeProvider, computeAccount), new Target(gkeProvider, gkeAccount));
  }

  private String account(String projectId, String name) {
    ObjectNode body = object(Map.of("name", name));
    body.put("create_service_account_only", true);
    String id =
        id(
            admin.post("/projects/" + projectId + "/service_accounts", body),
            "service account " + name);
    console.ok("service account  " + name);
    console.line("    id           " + id);
    return id;
  }

  private String provider(String name, String description, String issuer, String attribute) {
    ObjectNode body =
        object(
            Map.of(
                "name",
                name,
                "description",
                description,
                "type",
                "oidc",
                "issuer",
                issuer,
                "audience",
                DemoStack.AUDIENCE));
    body.putObject("verification").put("type", "discovery");
    body.putArray("attribute_transformations")
        .addObject()
        .put("attribute", attribute)
        .put("expression", "assertion.sub");
    String id = id(admin.post("/workload_identity_providers", body), "provider " + name);
    console.ok("provider         " + name);
    console.line("    id           " + id);
    console.line("    issuer       " + issuer + " (OIDC discovery)");
    console.line("    audience     " + DemoStack.AUDIENCE);
    console.line("    transform    " + attribute + " = assertion.sub  -> openai." + attribute);
    return id;
  }

  private void rule(
      String providerId,
      String name,
      String description,
      Map<String, String> matchers,
      String projectId,
      String accountId,
      String accountName) {
    ObjectNode body =
        object(
            Map.of(
                "name",
                name,
                "description",
                description,
                "project_id",
                projectId,
                "service_account_id",
                accountId));
    body.set("attribute_matchers", json.valueToTree(matchers));
    body.putObject("permissions").put("type", "service_account_default");
    id(
        admin.post("/workload_identity_providers/" + providerId + "/federation_rules", body),
        "mapping " + name);
    console.ok("mapping          " + name);
    matchers.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(m -> console.line("    match        " + m.getKey() + " = " + m.getValue()));
    console.line("    target       " + PROJECT + " /");
    console.line("                 " + accountName);
  }

  private ObjectNode object(Map<String, String> fields) {
    ObjectNode node = json.createObjectNode();
    fields.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(f -> node.put(f.getKey(), f.getValue()));
    return node;
  }

  private static String id(JsonNode created, String what) {
    JsonNode id = created.get("id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new DemoFailure("creating the " + what + " returned no id: " + created);
    }
    return id.asText();
  }
}
