package dev.openwif.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.client.TokenExchangeRejectedException;
import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.client.WorkloadIdentityException;
import dev.openwif.client.provider.TokenFileProvider;
import dev.openwif.emulator.gke.ProjectedToken;
import dev.openwif.emulator.gke.ProjectedTokenMinter;
import dev.openwif.emulator.gke.ProjectedTokenSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The refusal the guide promises: a genuine token of the same GKE cluster (same issuer, same
 * signing key), but for another pod, {@code system:serviceaccount:other:intruder}, which the
 * mapping {@code default-openai-wif} does not match. The exchange must be refused with 401 {@code
 * invalid_grant}, and the audit log must say why ({@code no_matching_rule}). Not thread-safe.
 */
final class RefusedExchange {
  static final String NAMESPACE = "other";
  static final String ACCOUNT = "intruder";
  static final String EXPECTED_REASON = "no_matching_rule";

  private final DemoConsole console;
  private final AdminClient admin;
  private final Function<String, ObjectNode> decodeClaims;
  private final String serverUrl;

  RefusedExchange(
      DemoConsole console,
      AdminClient admin,
      Function<String, ObjectNode> decodeClaims,
      String serverUrl) {
    this.console = Objects.requireNonNull(console, "console");
    this.admin = Objects.requireNonNull(admin, "admin");
    this.decodeClaims = Objects.requireNonNull(decodeClaims, "decodeClaims");
    this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
  }

  void run(String number, DemoStack stack, GuideSetup.Target gke, Clock clock) {
    console.section(number + ". A refused exchange");
    console.step(
        number + ".1",
        "Another pod of the same cluster: namespace " + NAMESPACE + ", account " + ACCOUNT);
    ProjectedTokenSpec spec =
        new ProjectedTokenSpec(
            NAMESPACE, ACCOUNT, "intruder-app", List.of(DemoStack.AUDIENCE), Duration.ofHours(1));
    ProjectedToken token =
        new ProjectedTokenMinter(stack.clusterKey(), clock).mint(stack.cluster().issuer(), spec);
    Path file = stack.dir().resolve("intruder-token");
    write(file, token.jwt());
    ObjectNode claims = decodeClaims.apply(token.jwt());
    console.line("iss  " + claims.path("iss").asText());
    console.line("sub  " + claims.path("sub").asText());
    console.line("(signed by the cluster's key, but not the subject the mapping names)");

    console.step(number + ".2", "Exchange it with provider google-gke-prod");
    WorkloadIdentityCredentials credentials =
        WorkloadIdentityCredentials.builder()
            .identityProviderId(gke.providerId())
            .serviceAccountId(gke.serviceAccountId())
            .provider(TokenFileProvider.of(file))
            .tokenUrl(serverUrl + "/oauth/token")
            .build();
    TokenExchangeRejectedException refusal = refusal(credentials);
    console.field("answer", refusal.statusCode() + " " + refusal.error().orElse("(no error code)"));
    refusal.errorDescription().ifPresent(d -> console.field("description", d));
    console.check(
        refusal.statusCode() == 401 && refusal.error().filter("invalid_grant"::equals).isPresent(),
        "the refusal should be 401 invalid_grant, it was " + refusal.getMessage());

    console.step(number + ".3", "Read why from the audit log");
    console.line("GET " + serverUrl + "/v1/organization/audit_logs");
    console.line("    ?type=token_exchange.failed&limit=1");
    JsonNode event =
        admin.get("/audit_logs?type=token_exchange.failed&limit=1").path("data").path(0);
    JsonNode failed = event.path("token_exchange.failed");
    console.field("type", event.path("type").asText());
    console.field("reason_code", failed.path("reason_code").asText());
    console.field("detail", failed.path("detail").asText());
    console.field("subject", failed.path("external_subject").asText());
    console.field(
        "token sha256", failed.path("subject_token_hash_prefix").asText() + "… (never the token)");
    console.check(
        EXPECTED_REASON.equals(failed.path("reason_code").asText()),
        "the audit log should record reason " + EXPECTED_REASON + ", it recorded: " + event);
    console.check(
        spec.subject().equals(failed.path("external_subject").asText()),
        "the audit log should name the subject " + spec.subject() + ", it recorded: " + event);
    console.ok("refused, and the audit log says why");
  }

  private static TokenExchangeRejectedException refusal(WorkloadIdentityCredentials credentials) {
    try {
      credentials.token();
    } catch (TokenExchangeRejectedException e) {
      return e;
    } catch (WorkloadIdentityException e) {
      throw new DemoFailure(
          "the exchange should be refused with 401, it failed otherwise: " + e.getMessage(), e);
    }
    throw new DemoFailure(
        "the exchange for " + NAMESPACE + ":" + ACCOUNT + " should be refused, it succeeded");
  }

  private static void write(Path file, String jwt) {
    try {
      Files.writeString(file, jwt + "\n");
    } catch (IOException e) {
      throw new DemoFailure("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
