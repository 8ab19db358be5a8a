package dev.openwif.server.dashboard;

import dev.openwif.audit.AuditEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The audit log screen's filters as the query string gives them: event type, exchange outcome,
 * provider id, service account id, and a time range in UTC ({@code datetime-local} values). The
 * type, outcome and time range go to the audit store's query; provider and service account are
 * matched here, on the events it returns. A value that cannot be read is an error beside its field.
 * Immutable.
 */
public record AuditFilter(
    String type,
    String outcome,
    String provider,
    String account,
    String since,
    String until,
    FieldErrors errors) {

  /** The event types the type filter offers (besides "all"). */
  public static final List<String> TYPES =
      List.of(
          AuditEvent.ExchangeAttempt.SUCCEEDED,
          AuditEvent.ExchangeAttempt.FAILED,
          "workload_identity_provider.created",
          "workload_identity_provider.updated",
          "workload_identity_provider.deleted",
          "workload_identity_provider_mapping.created",
          "workload_identity_provider_mapping.updated",
          "workload_identity_provider_mapping.deleted",
          "project.created",
          "project.updated",
          "project.archived",
          "service_account.created",
          "service_account.updated",
          "service_account.deleted",
          "admin_key.created",
          "admin_key.revoked",
          TokenDebugger.USED);

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  /** Reads the filters from query parameters ({@code name -> first value}). */
  public static AuditFilter of(Function<String, Optional<String>> query) {
    Map<String, String> errors = new LinkedHashMap<>();
    String type = query.apply("type").orElse("");
    if (!type.isEmpty() && !TYPES.contains(type)) {
      errors.put("type", "type must be one of the listed event types.");
      type = "";
    }
    String outcome = query.apply("outcome").orElse("");
    if (!outcome.isEmpty() && !outcome.equals(SUCCEEDED) && !outcome.equals(FAILED)) {
      errors.put("outcome", "outcome must be succeeded or failed.");
      outcome = "";
    }
    String since = query.apply("since").orElse("").strip();
    String until = query.apply("until").orElse("").strip();
    if (!since.isEmpty() && parse(since).isEmpty()) {
      errors.put("since", "since must be a date and time like 2026-01-31T13:45 (UTC).");
      since = "";
    }
    if (!until.isEmpty() && parse(until).isEmpty()) {
      errors.put("until", "until must be a date and time like 2026-01-31T13:45 (UTC).");
      until = "";
    }
    return new AuditFilter(
        type,
        outcome,
        clip(query.apply("provider").orElse("")),
        clip(query.apply("account").orElse("")),
        since,
        until,
        new FieldErrors(errors));
  }

  private static String clip(String id) {
    String s = id.strip();
    return s.length() > 128 ? s.substring(0, 128) : s;
  }

  static Optional<Instant> parse(String localUtc) {
    try {
      return Optional.of(LocalDateTime.parse(localUtc).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The event types to ask the store for: the chosen type, narrowed by the outcome; empty means all
   * types. A type and an outcome that contradict each other match nothing ({@link #none()}).
   */
  Set<String> types() {
    String byOutcome =
        switch (outcome) {
          case SUCCEEDED -> AuditEvent.ExchangeAttempt.SUCCEEDED;
          case FAILED -> AuditEvent.ExchangeAttempt.FAILED;
          default -> "";
        };
    if (type.isEmpty()) {
      return byOutcome.isEmpty() ? Set.of() : Set.of(byOutcome);
    }
    return Set.of(type);
  }

  /** Whether the type and outcome chosen contradict each other, so nothing can match. */
  boolean none() {
    return !type.isEmpty()
        && !outcome.isEmpty()
        && !type.equals(
            outcome.equals(SUCCEEDED)
                ? AuditEvent.ExchangeAttempt.SUCCEEDED
                : AuditEvent.ExchangeAttempt.FAILED);
  }

  Optional<Instant> sinceInstant() {
    return since.isEmpty() ? Optional.empty() : parse(since);
  }

  Optional<Instant> untilInstant() {
    return until.isEmpty() ? Optional.empty() : parse(until);
  }

  /** Whether {@code event} passes the provider and service account filters. */
  boolean matches(AuditEvent event) {
    return switch (event) {
      case AuditEvent.ExchangeAttempt x ->
          (provider.isEmpty() || x.providerId().orElse("").equals(provider))
              && (account.isEmpty() || x.serviceAccountId().orElse("").equals(account));
      case AuditEvent.AdminChange c ->
          (provider.isEmpty()
                  || c.objectId().equals(provider)
                  || c.dataJson().contains("\"identity_provider_id\":\"" + provider + "\""))
              && (account.isEmpty() || c.objectId().equals(account));
    };
  }

  /** The query string of these filters (for paging links), without a leading {@code ?}. */
  String queryString() {
    List<String> parts = new ArrayList<>();
    add(parts, "type", type);
    add(parts, "outcome", outcome);
    add(parts, "provider", provider);
    add(parts, "account", account);
    add(parts, "since", since);
    add(parts, "until", until);
    return String.join("&", parts);
  }

  private static void add(List<String> parts, String name, String value) {
    if (!value.isEmpty()) {
      parts.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }
}
