package dev.openwif.server.dashboard;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.ReasonCode;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.util.List;

/** What the templates show, as plain records built from the domain. Immutable. */
public final class Views {
  private Views() {}

  /** A row of the providers list. */
  public record ProviderRow(
      String id, String name, String issuer, String audience, boolean enabled, int mappings) {}

  /** A provider on its own page. */
  public record ProviderDetail(
      String id,
      String name,
      String description,
      String issuer,
      String audience,
      String verification,
      List<AttributeTransformation> transformations,
      boolean enabled) {

    static ProviderDetail of(WorkloadIdentityProvider p) {
      String verification =
          switch (p.verification()) {
            case Verification.Discovery d ->
                d.discoveryUrl()
                    .map(url -> "OIDC discovery at " + url)
                    .orElse("OIDC discovery (issuer's /.well-known/openid-configuration)");
            case Verification.UploadedJwks u -> "Uploaded JWKS";
          };
      return new ProviderDetail(
          p.id(),
          p.name(),
          p.description().orElse(""),
          p.issuer(),
          p.audience(),
          verification,
          p.attributeTransformations(),
          p.enabled());
    }
  }

  /** A row of a provider's mappings. */
  public record MappingRow(
      String id,
      String name,
      List<String> matchers,
      String projectId,
      String projectName,
      String accountId,
      String accountName,
      String permissions,
      boolean enabled) {

    static MappingRow of(FederationRule r, String projectName, String accountName) {
      return new MappingRow(
          r.id(),
          r.name().orElse("(unnamed)"),
          r.attributeMatchers().entrySet().stream()
              .map(e -> e.getKey() + " = " + e.getValue())
              .toList(),
          r.projectId(),
          projectName,
          r.serviceAccountId(),
          accountName,
          switch (r.permissions()) {
            case Permissions.ServiceAccountDefault d -> "Service account default";
            case Permissions.Restricted x -> "Restricted: " + String.join(", ", x.scopes());
          },
          r.enabled());
    }
  }

  /** A row of the projects list. */
  public record ProjectRow(String id, String name, boolean archived, int accounts) {}

  /** An option of a select: the value sent, the label shown. */
  public record Choice(String value, String label) {}

  /** One event as the table shows it. */
  public record AuditRow(
      String id,
      String time,
      String type,
      String outcome,
      String reason,
      String detail,
      String provider,
      String account,
      String subject,
      String actor,
      String object,
      long count) {

    static AuditRow of(AuditEvent e) {
      String time = e.occurredAt().toString();
      return switch (e) {
        case AuditEvent.ExchangeAttempt x ->
            new AuditRow(
                x.id(),
                time,
                x.type(),
                x.succeeded() ? "succeeded" : "failed",
                x.reason().map(ReasonCode::code).orElse(""),
                x.detail(),
                x.providerId().orElse(""),
                x.serviceAccountId().orElse(""),
                x.externalSubject().orElse(""),
                x.clientAddress().orElse(""),
                x.accessTokenJti().orElse(""),
                x.count());
        case AuditEvent.AdminChange c ->
            new AuditRow(
                c.id(), time, c.type(), "", "", "", "", "", "", c.actor(), c.objectId(), 1);
      };
    }
  }
}
