package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.PageRequest;
import dev.openwif.federation.ResourceServer;
import java.util.Optional;

class JdbcResourceServerRepositoryTest {
  private static ResourceServer server(String id, String hash, long createdAt) {
    return new ResourceServer(
        id, "api " + id, hash, "wifrs_" + hash.substring(0, 6), at(createdAt));
  }

  @StoreTest
  void findWhenInsertedThenRoundTripsAndOthersNotFound(JdbcFederationStore store) {
    ResourceServer server = server("rs_1", "a1".repeat(32), 0);
    store.resourceServers().insert(server);

    assertThat(store.resourceServers().find("rs_1")).contains(server);
    assertThat(store.resourceServers().find("RS_1")).isEmpty();
    assertThat(store.resourceServers().find("rs_missing")).isEmpty();
  }

  @StoreTest
  void listWhenSeveralThenCreationOrderPagedWithExactHasMore(JdbcFederationStore store) {
    store.resourceServers().insert(server("rs_c", "c3".repeat(32), 2));
    store.resourceServers().insert(server("rs_a", "a1".repeat(32), 0));
    store.resourceServers().insert(server("rs_b", "b2".repeat(32), 1));

    var first = store.resourceServers().list(PageRequest.first(2));
    var rest =
        store
            .resourceServers()
            .list(new PageRequest(2, Optional.of("rs_b"), PageRequest.SortOrder.ASC));

    assertThat(first.data()).extracting(ResourceServer::id).containsExactly("rs_a", "rs_b");
    assertThat(first.hasMore()).isTrue();
    assertThat(rest.data()).extracting(ResourceServer::id).containsExactly("rs_c");
    assertThat(rest.hasMore()).isFalse();
  }

  @StoreTest
  void deleteWhenPresentThenGoneOnceAndWhenMissingThenFalse(JdbcFederationStore store) {
    store.resourceServers().insert(server("rs_1", "a1".repeat(32), 0));

    assertThat(store.resourceServers().delete("rs_1")).isTrue();
    assertThat(store.resourceServers().delete("rs_1")).isFalse();
    assertThat(store.resourceServers().find("rs_1")).isEmpty();
  }

  @StoreTest
  void insertWhenSecretHashTakenThenUniqueViolationOnSecretHash(JdbcFederationStore store) {
    store.resourceServers().insert(server("rs_1", "a1".repeat(32), 0));
    assertThatThrownBy(() -> store.resourceServers().insert(server("rs_2", "a1".repeat(32), 1)))
        .isInstanceOfSatisfying(
            UniqueViolationException.class, e -> assertThat(e.column()).isEqualTo("secret_hash"));
  }
}
