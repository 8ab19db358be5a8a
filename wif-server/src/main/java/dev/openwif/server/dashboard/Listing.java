package dev.openwif.server.dashboard;

import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Reads every page of an admin list, in creation order, up to {@link #MAX} items. Stateless. */
final class Listing {
  /** The most items a dashboard page lists. */
  static final int MAX = 5_000;

  private Listing() {}

  static <T> List<T> all(Function<PageRequest, Page<T>> lister, Function<T, String> id) {
    List<T> out = new ArrayList<>();
    Optional<String> after = Optional.empty();
    while (out.size() < MAX) {
      Page<T> page = lister.apply(new PageRequest(100, after, PageRequest.SortOrder.ASC));
      out.addAll(page.data());
      if (!page.hasMore() || page.data().isEmpty()) {
        break;
      }
      after = Optional.of(id.apply(page.data().get(page.data().size() - 1)));
    }
    return out;
  }
}
