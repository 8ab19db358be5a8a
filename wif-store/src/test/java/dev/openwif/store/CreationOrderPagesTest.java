package dev.openwif.store;

import static dev.openwif.store.Records.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.PageRequest.SortOrder;
import dev.openwif.federation.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Creation-order keyset pagination, seen through the projects' list (every list shares it). */
class CreationOrderPagesTest {

  /**
   * p1 @0, p2a and p2b @1 (a tie broken by id), p3 @2, p4 @3: creation order p1, p2a, p2b, p3, p4.
   */
  private static void five(JdbcFederationStore store) {
    store.projects().insert(Records.project("p3", at(2)));
    store.projects().insert(Records.project("p2b", at(1)));
    store.projects().insert(Records.project("p1", at(0)));
    store.projects().insert(Records.project("p4", at(3)));
    store.projects().insert(Records.project("p2a", at(1)));
  }

  private static List<String> ids(Page<Project> page) {
    return page.data().stream().map(Project::id).toList();
  }

  private static Page<Project> page(
      JdbcFederationStore store, int limit, String after, SortOrder order) {
    return store.projects().list(new PageRequest(limit, Optional.ofNullable(after), order), true);
  }

  @StoreTest
  void listWhenAscendingThenCreationOrderWithIdTieBreak(JdbcFederationStore store) {
    five(store);
    assertThat(ids(page(store, 100, null, SortOrder.ASC)))
        .containsExactly("p1", "p2a", "p2b", "p3", "p4");
    assertThat(ids(page(store, 100, null, SortOrder.DESC)))
        .containsExactly("p4", "p3", "p2b", "p2a", "p1");
  }

  @StoreTest
  void listWhenLimitEqualsRemainingThenHasMoreFalse(JdbcFederationStore store) {
    five(store);
    assertThat(page(store, 5, null, SortOrder.ASC).hasMore()).isFalse();
    assertThat(page(store, 4, null, SortOrder.ASC).hasMore()).isTrue();
    assertThat(page(store, 2, "p2b", SortOrder.ASC))
        .satisfies(
            p -> {
              assertThat(ids(p)).containsExactly("p3", "p4");
              assertThat(p.hasMore()).isFalse();
            });
    assertThat(page(store, 1, "p2b", SortOrder.ASC).hasMore()).isTrue();
    assertThat(page(store, 1, "p4", SortOrder.ASC))
        .satisfies(
            p -> {
              assertThat(p.data()).isEmpty();
              assertThat(p.hasMore()).isFalse();
            });
  }

  @StoreTest
  void listWhenPagingAfterLastIdThenEveryItemOnceInBothOrders(JdbcFederationStore store) {
    five(store);
    for (SortOrder order : SortOrder.values()) {
      List<String> seen = new ArrayList<>();
      List<Boolean> hasMore = new ArrayList<>();
      String after = null;
      for (int i = 0; i < 10; i++) {
        Page<Project> p = page(store, 2, after, order);
        seen.addAll(ids(p));
        hasMore.add(p.hasMore());
        if (!p.hasMore()) {
          break;
        }
        after = p.data().getLast().id();
      }
      assertThat(hasMore).containsExactly(true, true, false);
      assertThat(seen)
          .containsExactlyElementsOf(
              order == SortOrder.ASC
                  ? List.of("p1", "p2a", "p2b", "p3", "p4")
                  : List.of("p4", "p3", "p2b", "p2a", "p1"));
    }
  }

  @StoreTest
  void listWhenDescendingAfterTiedIdThenContinuesWithinTheTie(JdbcFederationStore store) {
    five(store);
    assertThat(ids(page(store, 2, "p2b", SortOrder.DESC))).containsExactly("p2a", "p1");
    assertThat(ids(page(store, 1, "p2a", SortOrder.ASC))).containsExactly("p2b");
  }

  @StoreTest
  void listWhenEmptyThenNoDataAndNoMore(JdbcFederationStore store) {
    assertThat(page(store, 1, null, SortOrder.ASC)).isEqualTo(new Page<Project>(List.of(), false));
  }

  @StoreTest
  void listWhenCursorUnknownThenValidationErrorNamingAfter(JdbcFederationStore store) {
    five(store);
    assertThatThrownBy(() -> page(store, 2, "proj_nope", SortOrder.ASC))
        .isInstanceOfSatisfying(
            AdminValidationException.class, e -> assertThat(e.param()).isEqualTo("after"))
        .hasMessage("after names no object of this list: 'proj_nope'.");
    assertThatThrownBy(
            () ->
                store
                    .rules()
                    .list(
                        "wip_1",
                        Optional.empty(),
                        new PageRequest(2, Optional.of("wifr_nope"), SortOrder.DESC)))
        .isInstanceOfSatisfying(
            AdminValidationException.class, e -> assertThat(e.param()).isEqualTo("after"))
        .hasMessage("after names no object of this list: 'wifr_nope'.");
  }
}
