package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.PageRequest;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.ServiceAccountRateLimits;
import java.util.OptionalLong;

class JdbcServiceAccountRepositoryTest {

  @StoreTest
  void findWhenInsertedThenRoundTripsAndUpdateReplaces(JdbcFederationStore store) {
    store.projects().insert(Records.project("proj_1", at(0)));
    var account = new ServiceAccount("sa_1", "proj_1", "openai-wif", "none", at(1));
    store.serviceAccounts().insert(account);
    assertThat(store.serviceAccounts().find("sa_1")).contains(account);

    var renamed = new ServiceAccount("sa_1", "proj_1", "renamed", "member", at(1));
    assertThat(store.serviceAccounts().update(renamed)).isTrue();
    assertThat(store.serviceAccounts().find("sa_1")).contains(renamed);
    assertThat(
            store.serviceAccounts().update(Records.serviceAccount("sa_missing", "proj_1", at(1))))
        .isFalse();
  }

  @StoreTest
  void updateWhenRateLimitsSetThenRoundTripAndClear(JdbcFederationStore store) {
    store.projects().insert(Records.project("proj_1", at(0)));
    var limited =
        Records.serviceAccount("sa_1", "proj_1", at(1))
            .withRateLimits(
                new ServiceAccountRateLimits(OptionalLong.of(3), OptionalLong.of(90_000_000_000L)));
    store.serviceAccounts().insert(limited);
    assertThat(store.serviceAccounts().find("sa_1")).contains(limited);

    var requestsOnly =
        limited.withRateLimits(
            new ServiceAccountRateLimits(OptionalLong.of(60), OptionalLong.empty()));
    store.serviceAccounts().update(requestsOnly);
    assertThat(store.serviceAccounts().find("sa_1")).contains(requestsOnly);
    assertThat(store.serviceAccounts().listAll()).containsExactly(requestsOnly);

    store.serviceAccounts().update(limited.withRateLimits(ServiceAccountRateLimits.unlimited()));
    assertThat(store.serviceAccounts().find("sa_1").orElseThrow().rateLimits().isUnlimited())
        .isTrue();
  }

  @StoreTest
  void deleteWhenExistsThenGoneAndRulesNamingItRemain(JdbcFederationStore store) {
    store.projects().insert(Records.project("proj_1", at(0)));
    store.serviceAccounts().insert(Records.serviceAccount("sa_1", "proj_1", at(1)));
    store.providers().insert(Records.provider("wip_1", "google", at(0)));
    store
        .rules()
        .insert(Records.rule("wifr_1", "wip_1", java.util.Optional.empty(), "sa_1", at(2)));

    assertThat(store.serviceAccounts().delete("sa_1")).isTrue();
    assertThat(store.serviceAccounts().delete("sa_1")).isFalse();
    assertThat(store.serviceAccounts().find("sa_1")).isEmpty();
    assertThat(store.rules().find("wifr_1")).isPresent();
  }

  @StoreTest
  void insertWhenProjectMissingThenReferenceViolation(JdbcFederationStore store) {
    assertThatThrownBy(
            () -> store.serviceAccounts().insert(Records.serviceAccount("sa_1", "proj_x", at(1))))
        .isInstanceOf(ReferenceViolationException.class)
        .hasMessage("project proj_x does not exist");
  }

  @StoreTest
  void listWhenSeveralProjectsThenOnlyThatProjectInCreationOrder(JdbcFederationStore store) {
    store.projects().insert(Records.project("proj_1", at(0)));
    store.projects().insert(Records.project("proj_2", at(0)));
    store.serviceAccounts().insert(Records.serviceAccount("sa_b", "proj_1", at(2)));
    store.serviceAccounts().insert(Records.serviceAccount("sa_x", "proj_2", at(1)));
    store.serviceAccounts().insert(Records.serviceAccount("sa_a", "proj_1", at(3)));

    var page = store.serviceAccounts().list("proj_1", PageRequest.first(2));
    assertThat(page.data()).extracting(ServiceAccount::id).containsExactly("sa_b", "sa_a");
    assertThat(page.hasMore()).isFalse();
    assertThat(store.serviceAccounts().listAll())
        .extracting(ServiceAccount::id)
        .containsExactly("sa_x", "sa_b", "sa_a");
  }
}
