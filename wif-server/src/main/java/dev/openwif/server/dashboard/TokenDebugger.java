package dev.openwif.server.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.attribute.TransformationFailedException;
import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.AuditSink;
import dev.openwif.directory.FederationDirectory;
import dev.openwif.directory.FederationSnapshot;
import dev.openwif.directory.ProviderState;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.oidc.IssuerUnavailableException;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.oidc.TokenRejectedException;
import dev.openwif.oidc.VerifiedSubjectToken;
import dev.openwif.policy.MatchDecision;
import dev.openwif.policy.RuleMatcher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The token debugger: for a pasted subject token, a provider and a service account, runs the checks
 * an exchange would make, with the exchange's own code (the directory's snapshot, {@link
 * SubjectTokenVerifier}, the provider's compiled transformations, {@link RuleMatcher}) and mints
 * nothing. The token is decoded for display, never stored or logged; each use is audited as {@code
 * token_debugger.used} with the admin key's id and the first 16 hex digits of the token's SHA-256.
 * Thread-safe.
 */
public final class TokenDebugger {
  /** The audit event type of one use. */
  public static final String USED = "token_debugger.used";

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

  private final FederationDirectory directory;
  private final SubjectTokenVerifier verifier;
  private final RuleMatcher matcher;
  private final AuditSink audit;
  private final IdGenerator ids;
  private final Clock clock;
  private final ObjectMapper json;

  public TokenDebugger(
      FederationDirectory directory,
      SubjectTokenVerifier verifier,
      RuleMatcher matcher,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      ObjectMapper json) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.matcher = Objects.requireNonNull(matcher, "matcher");
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
    String header = decodedPart(token, 0);
    String claims = decodedPart(token, 1);
    List<Check> checks = new ArrayList<>();
    FederationSnapshot snapshot = directory.snapshot();
    Optional<ProviderState> state = snapshot.provider(providerId);
    if (state.isEmpty()) {
      return refused(header, claims, checks, "Provider", "no provider has id " + providerId);
    }
    ProviderState.Active active;
    switch (state.get()) {
      case ProviderState.Active a -> {
        active = a;
        checks.add(new Check("Provider", "passed", a.provider().name() + " is enabled"));
      }
      case ProviderState.Disabled d -> {
        return refused(header, claims, checks, "Provider", d.provider().name() + " is disabled");
      }
      case ProviderState.Misconfigured m -> {
        return refused(
            header, claims, checks, "Provider", m.provider().name() + ": " + m.problem());
      }
    }
    VerifiedSubjectToken verified;
    verifier.prepareKeys(token, active.policy(), active.keys()); // bounded wait for a fetch
    try {
      verified = verifier.verify(token, active.policy(), active.keys());
      checks.add(
          new Check(
              "Signature and key, issuer, audience, times",
              "passed",
              "alg "
                  + verified.alg()
                  + ", kid "
                  + verified.kid()
                  + ", issued "
                  + verified.issuedAt()
                  + ", expires "
                  + verified.expiresAt()));
    } catch (TokenRejectedException e) {
      return refused(
          header,
          claims,
          checks,
          "Signature and key, issuer, audience, times",
          e.reason().code() + ": " + e.detail());
    } catch (IssuerUnavailableException e) {
      return refused(
          header,
          claims,
          checks,
          "Signature and key, issuer, audience, times",
          e.reason().code() + ": " + e.detail());
    }
    Map<String, Object> attributes;
    try {
      attributes = active.transformations().evaluate(verified.claims());
      if (attributes.isEmpty()) {
        checks.add(new Check("Attribute transformations", "passed", "none configured"));
      }
      attributes.forEach((k, v) -> checks.add(new Check(k, "passed", String.valueOf(v))));
    } catch (TransformationFailedException e) {
      return refused(header, claims, checks, "Attribute transformations", e.detail());
    }
    // every row of every mapping the exchange would try, not only the first that failed
    for (FederationRule candidate : snapshot.enabledRulesOf(providerId)) {
      if (!candidate.serviceAccountId().equals(accountId)) {
        continue;
      }
      String mapping = candidate.name().orElse(candidate.id());
      for (RuleMatcher.RowResult row : matcher.explain(candidate, verified.claims(), attributes)) {
        checks.add(
            new Check(
                "Mapping " + mapping + ": " + row.key(),
                row.held() ? "passed" : "failed",
                row.detail()));
      }
    }
    MatchDecision decision =
        matcher.match(
            snapshot.enabledRulesOf(providerId),
            providerId,
            accountId,
            verified.claims(),
            attributes);
    FederationRule rule;
    switch (decision) {
      case MatchDecision.Matched m -> {
        rule = m.rule();
        checks.add(
            new Check(
                "Service account mappings",
                "passed",
                "mapping "
                    + m.rule().name().orElse(m.rule().id())
                    + " ("
                    + m.rule().id()
                    + ") matched"));
      }
      case MatchDecision.NoMatch n -> {
        return refused(
            header, claims, checks, "Service account mappings", "no_matching_rule: " + n.detail());
      }
    }
    if (snapshot.usableServiceAccount(rule.serviceAccountId()).isEmpty()) {
      return refused(
          header,
          claims,
          checks,
          "Service account",
          "service_account_unknown: the service account is deleted or its project archived");
    }
    checks.add(new Check("Service account", "passed", accountId + " is usable"));
    return new Report(
        header,
        claims,
        checks,
        true,
        "An exchange of this token would succeed under mapping " + rule.id() + ".");
  }

  private static Report refused(
      String header, String claims, List<Check> checks, String step, String detail) {
    checks.add(new Check(step, "failed", detail));
    return new Report(
        header,
        claims,
        checks,
        false,
        "An exchange of this token would be refused at: " + step + ".");
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
