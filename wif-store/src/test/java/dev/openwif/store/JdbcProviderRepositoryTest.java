package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.ConflictException;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.util.List;
import java.util.Optional;

class JdbcProviderRepositoryTest {

  static WorkloadIdentityProvider uploaded(String id, String name) {
    return new WorkloadIdentityProvider(
        id,
        name,
        Optional.empty(),
        "https://container.googleapis.com/v1/x",
        "aud",
        false,
        List.of(),
        new Verification.UploadedJwks("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\"}]}"),
        true,
        at(10),
        at(20));
  }

  @StoreTest
  void findWhenInsertedThenEveryFieldRoundTrips(JdbcFederationStore store) {
    var discovery = Records.provider("wip_1", "google", at(0));
    var withUrl =
        new WorkloadIdentityProvider(
            "wip_2",
            "gke",
            Optional.empty(),
            "https://issuer",
            "aud",
            true,
            List.of(new AttributeTransformation("subject", "assertion.sub")),
            new Verification.Discovery(
                Optional.of("https://issuer/custom/.well-known/openid-configuration")),
            false,
            at(1),
            at(2));
    var jwks = uploaded("wip_3", "uploaded");
    List.of(discovery, withUrl, jwks).forEach(store.providers()::insert);

    assertThat(store.providers().find("wip_1")).contains(discovery);
    assertThat(store.providers().find("wip_2")).contains(withUrl);
    assertThat(store.providers().find("wip_3")).contains(jwks);
    assertThat(store.providers().findByName("gke")).contains(withUrl);
    assertThat(store.providers().findByName("GKE")).isEmpty();
    assertThat(store.providers().find("wip_missing")).isEmpty();
    assertThat(store.providers().listAll()).containsExactly(discovery, withUrl, jwks);
  }

  @StoreTest
  void updateWhenTransformationsAndVerificationChangeThenReplaced(JdbcFederationStore store) {
    store.providers().insert(Records.provider("wip_1", "google", at(0)));
    var changed =
        new WorkloadIdentityProvider(
            "wip_1",
            "google-renamed",
            Optional.empty(),
            "https://other",
            "aud2",
            false,
            List.of(new AttributeTransformation("email", "assertion.email.lowerAscii()")),
            new Verification.UploadedJwks("{\"keys\":[]}"),
            true,
            at(0),
            at(30));

    assertThat(store.providers().update(changed)).isTrue();
    assertThat(store.providers().find("wip_1")).contains(changed);
    assertThat(store.providers().findByName("google")).isEmpty();
    assertThat(store.providers().update(uploaded("wip_missing", "x"))).isFalse();
  }

  @StoreTest
  void insertWhenNameTakenThenUniqueViolationOnName(JdbcFederationStore store) {
    store.providers().insert(Records.provider("wip_1", "google", at(0)));
    assertThatThrownBy(() -> store.providers().insert(Records.provider("wip_2", "google", at(1))))
        .isInstanceOfSatisfying(
            UniqueViolationException.class,
            e -> {
              assertThat(e.table()).isEqualTo("workload_identity_providers");
              assertThat(e.column()).isEqualTo("name");
            });
    assertThat(store.providers().find("wip_2")).isEmpty();
  }

  @StoreTest
  void updateWhenRenamedToTakenNameThenUniqueViolationAndUnchanged(JdbcFederationStore store) {
    var first = Records.provider("wip_1", "google", at(0));
    store.providers().insert(first);
    store.providers().insert(Records.provider("wip_2", "gke", at(1)));
    assertThatThrownBy(() -> store.providers().update(Records.provider("wip_1", "gke", at(0))))
        .isInstanceOfSatisfying(
            UniqueViolationException.class,
            e -> {
              assertThat(e.table()).isEqualTo("workload_identity_providers");
              assertThat(e.param()).contains("name");
            })
        .isInstanceOf(ConflictException.class)
        .hasMessage("A conflicting object already exists (name).");
    assertThat(store.providers().find("wip_1")).contains(first);
  }

  @StoreTest
  void deleteWhenNoRulesThenGoneWithTransformations(JdbcFederationStore store) {
    store.providers().insert(Records.provider("wip_1", "google", at(0)));
    assertThat(store.providers().delete("wip_1")).isTrue();
    assertThat(store.providers().find("wip_1")).isEmpty();
    assertThat(store.providers().delete("wip_1")).isFalse();
    store.providers().insert(Records.provider("wip_1", "google", at(0)));
    assertThat(store.providers().find("wip_1").orElseThrow().attributeTransformations()).hasSize(2);
  }

  @StoreTest
  void deleteWhenRulesRemainThenReferenceViolationAndKept(JdbcFederationStore store) {
    store.providers().insert(Records.provider("wip_1", "google", at(0)));
    store.rules().insert(Records.rule("wifr_1", "wip_1", Optional.empty(), "sa_1", at(1)));
    assertThatThrownBy(() -> store.providers().delete("wip_1"))
        .isInstanceOf(ReferenceViolationException.class)
        .hasMessage("workload identity provider wip_1 still has federation rules");
    assertThat(store.providers().find("wip_1")).isPresent();
  }

  @StoreTest
  void listWhenPagedThenCarriesTransformations(JdbcFederationStore store) {
    store.providers().insert(Records.provider("wip_1", "a", at(0)));
    store.providers().insert(uploaded("wip_2", "b"));
    var page =
        store.providers().list(new PageRequest(1, Optional.of("wip_1"), PageRequest.SortOrder.ASC));
    assertThat(page.data()).containsExactly(uploaded("wip_2", "b"));
    assertThat(page.hasMore()).isFalse();
    assertThat(
            store
                .providers()
                .list(PageRequest.first(1))
                .data()
                .getFirst()
                .attributeTransformations())
        .containsExactlyElementsOf(
            Records.provider("wip_1", "a", at(0)).attributeTransformations());
  }
}
