package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.FederationRule;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Permissions;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

class JdbcRuleRepositoryTest {

  private static void providers(JdbcFederationStore store) {
    store.providers().insert(Records.provider("wip_1", "google", at(0)));
    store.providers().insert(Records.provider("wip_2", "gke", at(0)));
  }

  @StoreTest
  void findWhenInsertedThenMatcherTypesOrderAndPermissionsRoundTrip(JdbcFederationStore store) {
    providers(store);
    Map<String, Object> matchers = new LinkedHashMap<>();
    matchers.put("z_string_one", "1");
    matchers.put("a_number_one", new BigDecimal("1"));
    matchers.put("m_true", true);
    matchers.put("m_string_true", "true");
    matchers.put("m_false", false);
    matchers.put("kubernetes.io.namespace", "default");
    matchers.put("big", new BigDecimal("-12345678901234567890.000100"));
    matchers.put("exp", new BigDecimal("1E+3"));
    matchers.put("unicode", "s\u00fcb \u0441");
    var rule =
        new FederationRule(
            "wifr_1",
            "wip_1",
            Optional.of("compute"),
            Optional.of("GCE workloads"),
            false,
            matchers,
            "proj_1",
            "sa_1",
            new Permissions.Restricted(Set.of("api.model.request", "api.files.read")),
            true,
            at(1),
            at(2));
    store.rules().insert(rule);

    FederationRule found = store.rules().find("wifr_1").orElseThrow();

    assertThat(found).isEqualTo(rule);
    assertThat(found.attributeMatchers().keySet()).containsExactlyElementsOf(matchers.keySet());
    assertThat(found.attributeMatchers().get("z_string_one"))
        .isInstanceOf(String.class)
        .isEqualTo("1");
    assertThat(found.attributeMatchers().get("a_number_one"))
        .isInstanceOf(BigDecimal.class)
        .isEqualTo(new BigDecimal("1"));
    assertThat(found.attributeMatchers().get("m_true")).isEqualTo(true);
    assertThat(found.attributeMatchers().get("m_string_true")).isEqualTo("true");
    assertThat(found.attributeMatchers().get("big"))
        .isEqualTo(new BigDecimal("-12345678901234567890.000100"));
    assertThat(found.permissions().grantedScopes())
        .containsExactlyInAnyOrder("api.model.request", "api.files.read");
  }

  @StoreTest
  void findWhenOptionalsEmptyAndDefaultPermissionsThenRoundTrip(JdbcFederationStore store) {
    providers(store);
    var rule = Records.rule("wifr_1", "wip_1", Optional.empty(), "sa_1", at(1));
    var emptyRestricted =
        new FederationRule(
            "wifr_2",
            "wip_1",
            Optional.empty(),
            Optional.empty(),
            true,
            Map.of("sub", "x"),
            "proj_1",
            "sa_1",
            new Permissions.Restricted(Set.of()),
            false,
            at(2),
            at(2));
    store.rules().insert(rule);
    store.rules().insert(emptyRestricted);
    assertThat(store.rules().find("wifr_1")).contains(rule);
    assertThat(store.rules().find("wifr_2")).contains(emptyRestricted);
    assertThat(store.rules().find("wifr_missing")).isEmpty();
  }

  @StoreTest
  void insertWhenNameTakenWithinProviderThenUniqueViolationOnName(JdbcFederationStore store) {
    providers(store);
    store.rules().insert(Records.rule("wifr_1", "wip_1", Optional.of("compute"), "sa_1", at(1)));
    assertThatThrownBy(
            () ->
                store
                    .rules()
                    .insert(Records.rule("wifr_2", "wip_1", Optional.of("compute"), "sa_2", at(2))))
        .isInstanceOfSatisfying(
            UniqueViolationException.class,
            e -> {
              assertThat(e.table()).isEqualTo("federation_rules");
              assertThat(e.column()).isEqualTo("name");
              assertThat(e.columns()).containsExactly("provider_id", "name");
            });
    assertThat(store.rules().find("wifr_2")).isEmpty();
  }

  @StoreTest
  void insertWhenSameNameInOtherProviderOrNoNamesThenAccepted(JdbcFederationStore store) {
    providers(store);
    store.rules().insert(Records.rule("wifr_1", "wip_1", Optional.of("compute"), "sa_1", at(1)));
    store.rules().insert(Records.rule("wifr_2", "wip_2", Optional.of("compute"), "sa_1", at(2)));
    store.rules().insert(Records.rule("wifr_3", "wip_1", Optional.empty(), "sa_1", at(3)));
    store.rules().insert(Records.rule("wifr_4", "wip_1", Optional.empty(), "sa_1", at(4)));
    assertThat(store.rules().listAll())
        .extracting(FederationRule::id)
        .containsExactly("wifr_1", "wifr_2", "wifr_3", "wifr_4");
    assertThat(store.rules().countByProvider("wip_1")).isEqualTo(3);
    assertThat(store.rules().countByProvider("wip_missing")).isZero();
  }

  @StoreTest
  void insertWhenProviderMissingThenReferenceViolation(JdbcFederationStore store) {
    assertThatThrownBy(
            () ->
                store
                    .rules()
                    .insert(Records.rule("wifr_1", "wip_missing", Optional.empty(), "sa", at(1))))
        .isInstanceOf(ReferenceViolationException.class)
        .hasMessage("workload identity provider wip_missing does not exist");
  }

  @StoreTest
  void insertWhenMatcherValueHasUnsupportedTypeThenIllegalArgumentAndNothingStored(
      JdbcFederationStore store) {
    providers(store);
    var rule =
        new FederationRule(
            "wifr_1",
            "wip_1",
            Optional.empty(),
            Optional.empty(),
            true,
            Map.of("n", 1),
            "proj_1",
            "sa_1",
            new Permissions.ServiceAccountDefault(),
            false,
            at(1),
            at(1));
    assertThatThrownBy(() -> store.rules().insert(rule))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "matcher 'n' has a value of unsupported type java.lang.Integer: expected String, Boolean or BigDecimal");
    assertThat(store.rules().find("wifr_1")).isEmpty();
  }

  @StoreTest
  void updateWhenMatchersAndScopesChangeThenReplacedAndDeleteRemoves(JdbcFederationStore store) {
    providers(store);
    store.rules().insert(Records.rule("wifr_1", "wip_1", Optional.of("a"), "sa_1", at(1)));
    var changed =
        new FederationRule(
            "wifr_1",
            "wip_1",
            Optional.empty(),
            Optional.of("d"),
            false,
            Map.of("email", "x@example.com"),
            "proj_2",
            "sa_2",
            new Permissions.Restricted(Set.of("api.model.read")),
            true,
            at(1),
            at(9));
    assertThat(store.rules().update(changed)).isTrue();
    assertThat(store.rules().find("wifr_1")).contains(changed);
    assertThat(
            store
                .rules()
                .update(Records.rule("wifr_missing", "wip_1", Optional.empty(), "sa", at(1))))
        .isFalse();

    assertThat(store.rules().delete("wifr_1")).isTrue();
    assertThat(store.rules().delete("wifr_1")).isFalse();
    assertThat(store.rules().find("wifr_1")).isEmpty();
    store.rules().insert(Records.rule("wifr_1", "wip_1", Optional.of("a"), "sa_1", at(1)));
    assertThat(store.rules().find("wifr_1").orElseThrow().attributeMatchers())
        .isEqualTo(Records.matchers());
  }

  @StoreTest
  void listWhenFilteredByProviderAndServiceAccountThenOnlyThoseInCreationOrder(
      JdbcFederationStore store) {
    providers(store);
    store.rules().insert(Records.rule("wifr_3", "wip_1", Optional.empty(), "sa_1", at(3)));
    store.rules().insert(Records.rule("wifr_1", "wip_1", Optional.empty(), "sa_2", at(1)));
    store.rules().insert(Records.rule("wifr_2", "wip_2", Optional.empty(), "sa_1", at(2)));
    store.rules().insert(Records.rule("wifr_4", "wip_1", Optional.empty(), "sa_1", at(4)));

    assertThat(store.rules().list("wip_1", Optional.empty(), PageRequest.first(10)).data())
        .extracting(FederationRule::id)
        .containsExactly("wifr_1", "wifr_3", "wifr_4");
    var page = store.rules().list("wip_1", Optional.of("sa_1"), PageRequest.first(1));
    assertThat(page.data()).extracting(FederationRule::id).containsExactly("wifr_3");
    assertThat(page.hasMore()).isTrue();
    var next =
        store
            .rules()
            .list(
                "wip_1",
                Optional.of("sa_1"),
                new PageRequest(1, Optional.of("wifr_3"), PageRequest.SortOrder.ASC));
    assertThat(next.data()).extracting(FederationRule::id).containsExactly("wifr_4");
    assertThat(next.data().getFirst().attributeMatchers()).isEqualTo(Records.matchers());
    assertThat(next.hasMore()).isFalse();
  }
}
