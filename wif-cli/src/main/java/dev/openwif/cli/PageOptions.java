package dev.openwif.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The paging options of the remote {@code list} commands (a picocli mixin). */
final class PageOptions {
  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most this many items, 1 to 100 (default: the server's, 20).")
  Optional<Integer> limit = Optional.empty();

  @Option(
      names = "--after",
      paramLabel = "ID",
      description = "Start after this id (the last id of the page before).")
  Optional<String> after = Optional.empty();

  /** The query parameters these options give, in a map the caller may add to. */
  Map<String, String> query() {
    Map<String, String> query = new LinkedHashMap<>();
    limit.ifPresent(n -> query.put("limit", Integer.toString(n)));
    after.ifPresent(id -> query.put("after", id));
    return query;
  }
}
