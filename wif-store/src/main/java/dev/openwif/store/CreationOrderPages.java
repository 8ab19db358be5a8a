package dev.openwif.store;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Keyset pagination in creation order, as the list ports document: rows ordered by {@code
 * (created_at, id)} ascending or descending, starting after the row whose id is the cursor, {@code
 * hasMore} exact (one row more than the limit is fetched).
 */
final class CreationOrderPages {
  private CreationOrderPages() {}

  /**
   * One page of {@code table}.
   *
   * @param columns the select list
   * @param filter a condition on the table's rows, e.g. {@code provider_id = :providerId}
   * @throws AdminValidationException naming {@code after} when the cursor names no row of the table
   */
  static <T> Page<T> fetch(
      Handle handle,
      String table,
      String columns,
      String filter,
      Map<String, ?> binds,
      PageRequest page,
      RowMapper<T> mapper) {
    boolean asc = page.order() == PageRequest.SortOrder.ASC;
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(columns)
            .append(" FROM ")
            .append(table)
            .append(" WHERE ")
            .append(filter);
    Long cursorCreatedAt = null;
    if (page.after().isPresent()) {
      cursorCreatedAt =
          handle
              .createQuery("SELECT created_at FROM " + table + " WHERE id = :id")
              .bind("id", page.after().get())
              .mapTo(Long.class)
              .findOne()
              .orElseThrow(
                  () ->
                      new AdminValidationException(
                          "after",
                          "after names no object of this list: '" + page.after().get() + "'."));
      String cmp = asc ? ">" : "<";
      sql.append(" AND (created_at ")
          .append(cmp)
          .append(" :cursorCreatedAt OR (created_at = :cursorCreatedAt AND id ")
          .append(cmp)
          .append(" :cursorId))");
    }
    String dir = asc ? "ASC" : "DESC";
    sql.append(" ORDER BY created_at ")
        .append(dir)
        .append(", id ")
        .append(dir)
        .append(" LIMIT :fetch");
    var query = handle.createQuery(sql.toString()).bindMap(binds).bind("fetch", page.limit() + 1);
    if (cursorCreatedAt != null) {
      query
          .bind("cursorCreatedAt", cursorCreatedAt.longValue())
          .bind("cursorId", page.after().get());
    }
    List<T> rows = query.map(mapper).list();
    boolean hasMore = rows.size() > page.limit();
    return new Page<>(hasMore ? rows.subList(0, page.limit()) : rows, hasMore);
  }
}
