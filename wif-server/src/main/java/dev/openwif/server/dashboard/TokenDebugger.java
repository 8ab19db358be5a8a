package dev.openwif.server.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditSink;
import dev.openwif.directory.FederationDirectory;
import dev.openwif.exchange.ExchangeExplainer;
import dev.openwif.exchange.ExchangeExplanation;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.admin.AdminKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The token debugger: for a pasted subject token, a provider and a service account, shows every
 * check an exchange would make, as {@link ExchangeExplainer} (the exchange's own steps, the same
 * one behind the admin API's explain) reports them, and mints nothing. The token is decoded for
 * display, never stored or logged; each use is audited as {@code token_debugger.used} with the
 * admin key's id and the first 16 hex digits of the token's SHA-256. Thread-safe.
 */
public final class TokenDebugger {
  /** The audit event type of one use. */
  public static final String USED = "token_debugger.used";

  /** How the page names each kind of check the explainer reports. */
  private static final Map<String, String> LABELS =
      Map.ofEntries(
          Map.entry("configuration", "Configuration"),
          Map.entry("provider", "Provider"),
          Map.entry("structure", "Token structure"),
          Map.entry("header", "Token header"),
          Map.entry("key", "Signing key"),
          Map.entry("signature", "Signature"),
          Map.entry("issuer", "Issuer"),
          Map.entry("audience", "Audience"),
          Map.entry("claim_types", "Claim types"),
          Map.entry("times", "Times"),
          Map.entry("transformation", "Attribute transformations"),
          Map.entry("rule", "Service account mappings"),
          Map.entry("service_account", "Service account"),
          Map.entry("access_token_lifetime", "Access token lifetime"),
          Map.entry("replay", "Replay protection"));

  /**
   * One check: what was checked, its outcome ({@code passed}, {@code failed}, {@code skipped}),
   * why.
   */
  public record Check(String name, String outcome, String detail) {}

  /** What the debugger found. */
  public record Report(
      String header, String claims, List<Check> checks, boolean wouldSucceed, String verdict) {
    public Report {
      checks = List.copyOf(checks);
    }
  }

  private final ExchangeExplainer explainer;
  private final FederationDirectory directory;
  private final AuditSink audit;
  private final IdGenerator ids;
  private final Clock clock;
  private final ObjectMapper json;

  /**
   * @param directory only to show mappings by their names
   */
  public TokenDebugger(
      ExchangeExplainer explainer,
      FederationDirectory directory,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      ObjectMapper json) {
    this.explainer = Objects.requireNonNull(explainer, "explainer");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** Explains what an exchange of {@code token} for this provider and account would do. */
  public Report explain(String adminKeyId, String token, String providerId, String accountId) {
    Report report = run(token.strip(), providerId, accountId);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", providerId);
    data.put("identity_provider_id", providerId);
    data.put("service_account_id", accountId);
    data.put("subject_token_sha256_prefix", AdminKeys.sha256Hex(token.strip()).substring(0, 16));
    data.put("would_succeed", report.wouldSucceed());
    String dataJson;
    try {
      dataJson = json.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      dataJson = "{}";
    }
    audit.record(
        new AuditEvent.AdminChange(
            ids.next("audit"), clock.instant(), USED, adminKeyId, providerId, dataJson));
    return report;
  }

  private Report run(String token, String providerId, String accountId) {
    ExchangeExplanation explanation = explainer.explain(providerId, accountId, token);
    Map<String, String> ruleNames =
        directory.snapshot().enabledRulesOf(providerId).stream()
            .collect(
                Collectors.toMap(FederationRule::id, r -> r.name().orElse(r.id()), (x, y) -> x));
    List<Check> checks =
        explanation.checks().stream().map(check -> shown(check, ruleNames)).toList();
    String verdict =
        explanation
            .refusal()
            .map(
                refused ->
                    "An exchange of this token would be refused at: "
                        + shown(refused, ruleNames).name()
                        + ".")
            .orElseGet(
                () ->
                    "An exchange of this token would succeed under mapping "
                        + explanation.ruleId().orElseThrow()
                        + ".");
    return new Report(
        decodedPart(token, 0), decodedPart(token, 1), checks, explanation.wouldSucceed(), verdict);
  }

  /** One explainer line as the page shows it: mappings by name, a refusal with its reason code. */
  private static Check shown(ExchangeExplanation.Check check, Map<String, String> ruleNames) {
    String name =
        switch (check.check()) {
          case "transformation" ->
              check.subject().isEmpty() ? "Attribute transformations" : check.subject();
          case "candidate_rule" ->
              "Mapping " + ruleNames.getOrDefault(check.subject(), check.subject());
          case "matcher" -> {
            int space = check.subject().indexOf(' ');
            String rule = space < 0 ? check.subject() : check.subject().substring(0, space);
            String row = space < 0 ? "" : check.subject().substring(space + 1);
            yield "Mapping " + ruleNames.getOrDefault(rule, rule) + ": " + row;
          }
          default -> LABELS.getOrDefault(check.check(), check.check());
        };
    String outcome =
        switch (check.outcome()) {
          case PASSED -> "passed";
          case FAILED -> "failed";
          case NOT_RUN -> "skipped";
        };
    String detail =
        check.reason().map(reason -> reason.code() + ": " + check.detail()).orElse(check.detail());
    return new Check(name, outcome, detail);
  }

  /**
   * The JSON of part {@code index} of a compact JWS, pretty-printed; a sentence when unreadable.
   */
  private String decodedPart(String token, int index) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return "(not a compact JWS: it must have three dot-separated parts)";
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(parts[index]);
      JsonNode node = json.readTree(new String(bytes, StandardCharsets.UTF_8));
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IllegalArgumentException | JsonProcessingException e) {
      return "(this part is not base64url-encoded JSON)";
    }
  }
}
