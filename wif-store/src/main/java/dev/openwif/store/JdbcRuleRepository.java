package dev.openwif.store;

import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.RuleRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * Federation rules in {@code federation_rules}; matchers in order with their value type in {@code
 * federation_rule_matchers}; restricted scopes in {@code federation_rule_scopes}. A rule name is
 * unique within its provider ({@link UniqueViolationException} on column {@code name}; rules
 * without a name never collide); a rule's provider must exist ({@link
 * ReferenceViolationException}). Thread-safe; a rule and its child rows are always read from one
 * snapshot.
 */
final class JdbcRuleRepository implements RuleRepository {
  private static final String COLUMNS =
      "id, provider_id, name, description, enabled, project_id,"
          + " service_account_id, permissions_type, clamp_to_subject_token_expiry, created_at, updated_at";

  private final Database db;

  JdbcRuleRepository(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * @throws IllegalArgumentException when a matcher value is not a String, Boolean or BigDecimal
   */
  @Override
  public void insert(FederationRule rule) {
    db.write(
        "workload identity provider " + rule.providerId() + " does not exist",
        h -> {
          bindRow(
                  h.createUpdate(
                      "INSERT INTO federation_rules ("
                          + COLUMNS
                          + ") VALUES (:id, :providerId, :name,"
                          + " :description, :enabled, :projectId, :serviceAccountId, :permissionsType, :clamp, :createdAt,"
                          + " :updatedAt)"),
                  rule)
              .execute();
          insertChildren(h, rule);
          return null;
        });
  }

  @Override
  public boolean update(FederationRule rule) {
    return db.write(
        "workload identity provider " + rule.providerId() + " does not exist",
        h -> {
          int rows =
              bindRow(
                      h.createUpdate(
                          "UPDATE federation_rules SET provider_id = :providerId, name = :name,"
                              + " description = :description, enabled = :enabled, project_id = :projectId,"
                              + " service_account_id = :serviceAccountId, permissions_type = :permissionsType,"
                              + " clamp_to_subject_token_expiry = :clamp, created_at = :createdAt, updated_at = :updatedAt"
                              + " WHERE id = :id"),
                      rule)
                  .execute();
          if (rows == 0) {
            return false;
          }
          h.createUpdate("DELETE FROM federation_rule_matchers WHERE rule_id = :id")
              .bind("id", rule.id())
              .execute();
          h.createUpdate("DELETE FROM federation_rule_scopes WHERE rule_id = :id")
              .bind("id", rule.id())
              .execute();
          insertChildren(h, rule);
          return true;
        });
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            h ->
                h.createUpdate("DELETE FROM federation_rules WHERE id = :id")
                    .bind("id", id)
                    .execute())
        > 0;
  }

  @Override
  public Optional<FederationRule> find(String id) {
    return db.readSnapshot(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM federation_rules WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .map(r -> assemble(h, List.of(r), false).getFirst()));
  }

  @Override
  public Page<FederationRule> list(
      String providerId, Optional<String> serviceAccountId, PageRequest page) {
    String filter =
        "provider_id = :providerId"
            + (serviceAccountId.isPresent() ? " AND service_account_id = :serviceAccountId" : "");
    Map<String, String> binds = new HashMap<>();
    binds.put("providerId", providerId);
    serviceAccountId.ifPresent(s -> binds.put("serviceAccountId", s));
    return db.readSnapshot(
        h -> {
          Page<Row> rows =
              CreationOrderPages.fetch(
                  h, "federation_rules", COLUMNS, filter, binds, page, (rs, ctx) -> row(rs));
          return new Page<>(assemble(h, rows.data(), false), rows.hasMore());
        });
  }

  @Override
  public long countByProvider(String providerId) {
    return db.read(
        h ->
            h.createQuery("SELECT count(*) FROM federation_rules WHERE provider_id = :providerId")
                .bind("providerId", providerId)
                .mapTo(Long.class)
                .one());
  }

  @Override
  public List<FederationRule> listAll() {
    return db.readSnapshot(
        h ->
            assemble(
                h,
                h.createQuery(
                        "SELECT " + COLUMNS + " FROM federation_rules ORDER BY created_at, id")
                    .map((rs, ctx) -> row(rs))
                    .list(),
                true));
  }

  private static Update bindRow(Update u, FederationRule r) {
    return u.bind("id", r.id())
        .bind("providerId", r.providerId())
        .bind("name", r.name().orElse(null))
        .bind("description", r.description().orElse(null))
        .bind("enabled", r.enabled())
        .bind("projectId", r.projectId())
        .bind("serviceAccountId", r.serviceAccountId())
        .bind(
            "permissionsType",
            switch (r.permissions()) {
              case Permissions.ServiceAccountDefault d -> "service_account_default";
              case Permissions.Restricted s -> "restricted";
            })
        .bind("clamp", r.clampToSubjectTokenExpiry())
        .bind("createdAt", r.createdAt().toEpochMilli())
        .bind("updatedAt", r.updatedAt().toEpochMilli());
  }

  private static void insertChildren(Handle h, FederationRule rule) {
    if (!rule.attributeMatchers().isEmpty()) {
      var batch =
          h.prepareBatch(
              "INSERT INTO federation_rule_matchers (rule_id, ordinal, attribute, value_type,"
                  + " value_text) VALUES (:ruleId, :ordinal, :attribute, :type, :text)");
      int ordinal = 0;
      for (var m : rule.attributeMatchers().entrySet()) {
        MatcherValues.Encoded value = MatcherValues.encode(m.getKey(), m.getValue());
        batch
            .bind("ruleId", rule.id())
            .bind("ordinal", ordinal++)
            .bind("attribute", m.getKey())
            .bind("type", value.type())
            .bind("text", value.text())
            .add();
      }
      batch.execute();
    }
    if (rule.permissions() instanceof Permissions.Restricted restricted
        && !restricted.scopes().isEmpty()) {
      var batch =
          h.prepareBatch(
              "INSERT INTO federation_rule_scopes (rule_id, scope) VALUES (:ruleId, :scope)");
      restricted
          .scopes()
          .forEach(scope -> batch.bind("ruleId", rule.id()).bind("scope", scope).add());
      batch.execute();
    }
  }

  /** The rule columns, before matchers and scopes are attached. */
  private record Row(
      String id,
      String providerId,
      Optional<String> name,
      Optional<String> description,
      boolean enabled,
      String projectId,
      String serviceAccountId,
      boolean restricted,
      boolean clamp,
      Instant createdAt,
      Instant updatedAt) {}

  private static Row row(ResultSet rs) throws SQLException {
    String permissions = rs.getString("permissions_type");
    if (!permissions.equals("restricted") && !permissions.equals("service_account_default")) {
      throw new IllegalStateException("unknown permissions_type in the database: " + permissions);
    }
    return new Row(
        rs.getString("id"),
        rs.getString("provider_id"),
        Columns.optionalString(rs, "name"),
        Columns.optionalString(rs, "description"),
        rs.getBoolean("enabled"),
        rs.getString("project_id"),
        rs.getString("service_account_id"),
        permissions.equals("restricted"),
        rs.getBoolean("clamp_to_subject_token_expiry"),
        Columns.instant(rs, "created_at"),
        Columns.instant(rs, "updated_at"));
  }

  /**
   * Attaches matchers and scopes, each read in one query: for the given rows, or for every rule
   * ({@code all}).
   */
  private static List<FederationRule> assemble(Handle h, List<Row> rows, boolean all) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> ids = rows.stream().map(Row::id).toList();
    Map<String, Map<String, Object>> matchers = new HashMap<>();
    children(
            h,
            "SELECT rule_id, attribute, value_type, value_text FROM federation_rule_matchers",
            "ORDER BY rule_id, ordinal",
            ids,
            all)
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("rule_id"),
                    Map.entry(
                        rs.getString("attribute"),
                        MatcherValues.decode(
                            rs.getString("value_type"), rs.getString("value_text")))))
        .forEach(
            e ->
                matchers
                    .computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>())
                    .put(e.getValue().getKey(), e.getValue().getValue()));
    Map<String, Set<String>> scopes = new HashMap<>();
    children(
            h,
            "SELECT rule_id, scope FROM federation_rule_scopes",
            "ORDER BY rule_id, scope",
            ids,
            all)
        .map((rs, ctx) -> Map.entry(rs.getString("rule_id"), rs.getString("scope")))
        .forEach(e -> scopes.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
    List<FederationRule> rules = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Permissions permissions =
          r.restricted()
              ? new Permissions.Restricted(scopes.getOrDefault(r.id(), Set.of()))
              : new Permissions.ServiceAccountDefault();
      rules.add(
          new FederationRule(
              r.id(),
              r.providerId(),
              r.name(),
              r.description(),
              r.enabled(),
              matchers.getOrDefault(r.id(), Map.of()),
              r.projectId(),
              r.serviceAccountId(),
              permissions,
              r.clamp(),
              r.createdAt(),
              r.updatedAt()));
    }
    return rules;
  }

  private static org.jdbi.v3.core.statement.Query children(
      Handle h, String select, String orderBy, List<String> ids, boolean all) {
    return all
        ? h.createQuery(select + " " + orderBy)
        : h.createQuery(select + " WHERE rule_id IN (<ids>) " + orderBy).bindList("ids", ids);
  }
}
