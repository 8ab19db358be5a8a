package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.audit.AuditEvent;
import dev.openwif.audit.ReasonCode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditFilterTest {
  private static AuditFilter filter(Map<String, String> query) {
    return AuditFilter.of(name -> Optional.ofNullable(query.get(name)));
  }

  private static AuditEvent.ExchangeAttempt attempt(String provider, String account) {
    return new AuditEvent.ExchangeAttempt(
        "audit_1",
        Instant.EPOCH,
        Optional.of(ReasonCode.NO_MATCHING_RULE),
        "detail",
        Optional.of(provider),
        Optional.empty(),
        Optional.of(account),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void ofWhenOutcomeGivenThenTypesNarrowedToThatExchangeType() {
    assertThat(filter(Map.of("outcome", "failed")).types())
        .isEqualTo(Set.of(AuditEvent.ExchangeAttempt.FAILED));
    assertThat(filter(Map.of()).types()).isEmpty();
    assertThat(filter(Map.of("type", "project.created")).types())
        .isEqualTo(Set.of("project.created"));
    assertThat(filter(Map.of("type", "token_exchange.succeeded", "outcome", "failed")).none())
        .isTrue();
  }

  @Test
  void ofWhenValuesUnreadableThenErrorsNameTheFieldAndTheFilterIsDropped() {
    AuditFilter f =
        filter(Map.of("type", "<b>", "outcome", "maybe", "since", "yesterday", "until", "x"));
    assertThat(f.errors().byField()).containsOnlyKeys("type", "outcome", "since", "until");
    assertThat(f.types()).isEmpty();
    assertThat(f.sinceInstant()).isEmpty();
  }

  @Test
  void ofWhenTimeRangeGivenThenReadAsUtc() {
    AuditFilter f = filter(Map.of("since", "2026-01-31T13:45", "until", "2026-02-01T00:00"));
    assertThat(f.sinceInstant()).contains(Instant.parse("2026-01-31T13:45:00Z"));
    assertThat(f.untilInstant()).contains(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(f.queryString()).isEqualTo("since=2026-01-31T13%3A45&until=2026-02-01T00%3A00");
  }

  @Test
  void matchesWhenProviderOrAccountGivenThenOnlyThoseEvents() {
    AuditFilter byProvider = filter(Map.of("provider", "wip_1"));
    assertThat(byProvider.matches(attempt("wip_1", "svc_1"))).isTrue();
    assertThat(byProvider.matches(attempt("wip_2", "svc_1"))).isFalse();
    AuditFilter byAccount = filter(Map.of("account", "svc_1"));
    assertThat(byAccount.matches(attempt("wip_2", "svc_1"))).isTrue();
    assertThat(byAccount.matches(attempt("wip_2", "svc_2"))).isFalse();
    var change =
        new AuditEvent.AdminChange(
            "audit_2",
            Instant.EPOCH,
            "workload_identity_provider_mapping.created",
            "key_1",
            "rule_1",
            "{\"id\":\"rule_1\",\"identity_provider_id\":\"wip_1\"}");
    assertThat(byProvider.matches(change)).isTrue();
    assertThat(byAccount.matches(change)).isFalse();
  }
}
