package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Project;
import java.util.Optional;

class JdbcProjectRepositoryTest {

  @StoreTest
  void findWhenInsertedThenRoundTripsWithAndWithoutArchivedAt(JdbcFederationStore store) {
    var active = new Project("proj_a", "Default project", at(0), Optional.empty());
    var archived = new Project("proj_b", "Old", at(1), Optional.of(at(50)));
    store.projects().insert(active);
    store.projects().insert(archived);

    assertThat(store.projects().find("proj_a")).contains(active);
    assertThat(store.projects().find("proj_b")).contains(archived);
    assertThat(store.projects().find("proj_missing")).isEmpty();
  }

  @StoreTest
  void updateWhenExistsThenReplacedAndWhenMissingThenFalse(JdbcFederationStore store) {
    store.projects().insert(Records.project("proj_a", at(0)));
    var renamedAndArchived = new Project("proj_a", "Renamed", at(0), Optional.of(at(9)));

    assertThat(store.projects().update(renamedAndArchived)).isTrue();
    assertThat(store.projects().find("proj_a")).contains(renamedAndArchived);
    assertThat(store.projects().update(Records.project("proj_missing", at(0)))).isFalse();
  }

  @StoreTest
  void listWhenArchivedExcludedThenOnlyActiveInCreationOrder(JdbcFederationStore store) {
    store.projects().insert(Records.project("proj_c", at(2)));
    store.projects().insert(new Project("proj_b", "Old", at(1), Optional.of(at(3))));
    store.projects().insert(Records.project("proj_a", at(0)));

    assertThat(store.projects().list(PageRequest.first(10), false).data())
        .extracting(Project::id)
        .containsExactly("proj_a", "proj_c");
    assertThat(store.projects().list(PageRequest.first(10), true).data())
        .extracting(Project::id)
        .containsExactly("proj_a", "proj_b", "proj_c");
  }

  @StoreTest
  void insertWhenIdTakenThenUniqueViolationOnId(JdbcFederationStore store) {
    store.projects().insert(Records.project("proj_a", at(0)));
    assertThatThrownBy(() -> store.projects().insert(Records.project("proj_a", at(1))))
        .isInstanceOfSatisfying(
            UniqueViolationException.class,
            e -> {
              assertThat(e.table()).isEqualTo("projects");
              assertThat(e.column()).isEqualTo("id");
              assertThat(e.param()).contains("id");
            })
        .hasMessage("A conflicting object already exists (id).");
  }
}
