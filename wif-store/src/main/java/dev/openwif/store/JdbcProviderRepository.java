package dev.openwif.store;

import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.ProviderRepository;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Providers in {@code workload_identity_providers}, their transformations in order in {@code
 * provider_transformations}; the verification mode in columns ({@code verification_type}, {@code
 * discovery_url}, {@code jwks_json}). Names are unique ({@link UniqueViolationException} on column
 * {@code name}). A provider that still has rules cannot be deleted ({@link
 * ReferenceViolationException}). Thread-safe; a provider and its transformations are always read
 * from one snapshot.
 */
final class JdbcProviderRepository implements ProviderRepository {
  private static final String COLUMNS =
      "id, name, description, issuer, audience, enabled, verification_type,"
          + " discovery_url, jwks_json, replay_protection, created_at, updated_at";

  private final Database db;

  JdbcProviderRepository(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void insert(WorkloadIdentityProvider p) {
    db.write(
        h -> {
          bindRow(
                  h.createUpdate(
                      "INSERT INTO workload_identity_providers ("
                          + COLUMNS
                          + ") VALUES (:id, :name,"
                          + " :description, :issuer, :audience, :enabled, :verificationType, :discoveryUrl, :jwksJson,"
                          + " :replayProtection, :createdAt, :updatedAt)"),
                  p)
              .execute();
          insertTransformations(h, p);
          return null;
        });
  }

  @Override
  public boolean update(WorkloadIdentityProvider p) {
    return db.write(
        h -> {
          int rows =
              bindRow(
                      h.createUpdate(
                          "UPDATE workload_identity_providers SET name = :name,"
                              + " description = :description, issuer = :issuer, audience = :audience, enabled = :enabled,"
                              + " verification_type = :verificationType, discovery_url = :discoveryUrl, jwks_json = :jwksJson,"
                              + " replay_protection = :replayProtection, created_at = :createdAt, updated_at = :updatedAt"
                              + " WHERE id = :id"),
                      p)
                  .execute();
          if (rows == 0) {
            return false;
          }
          h.createUpdate("DELETE FROM provider_transformations WHERE provider_id = :id")
              .bind("id", p.id())
              .execute();
          insertTransformations(h, p);
          return true;
        });
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            "workload identity provider " + id + " still has federation rules",
            h ->
                h.createUpdate("DELETE FROM workload_identity_providers WHERE id = :id")
                    .bind("id", id)
                    .execute())
        > 0;
  }

  @Override
  public Optional<WorkloadIdentityProvider> find(String id) {
    return findWhere("id = :key", id);
  }

  @Override
  public Optional<WorkloadIdentityProvider> findByName(String name) {
    return findWhere("name = :key", name);
  }

  @Override
  public Page<WorkloadIdentityProvider> list(PageRequest page) {
    return db.readSnapshot(
        h -> {
          Page<Row> rows =
              CreationOrderPages.fetch(
                  h,
                  "workload_identity_providers",
                  COLUMNS,
                  "1 = 1",
                  Map.of(),
                  page,
                  (rs, ctx) -> row(rs));
          return new Page<>(assemble(h, rows.data(), false), rows.hasMore());
        });
  }

  @Override
  public List<WorkloadIdentityProvider> listAll() {
    return db.readSnapshot(
        h ->
            assemble(
                h,
                h.createQuery(
                        "SELECT "
                            + COLUMNS
                            + " FROM workload_identity_providers ORDER BY created_at, id")
                    .map((rs, ctx) -> row(rs))
                    .list(),
                true));
  }

  private Optional<WorkloadIdentityProvider> findWhere(String condition, String key) {
    return db.readSnapshot(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM workload_identity_providers WHERE " + condition)
                .bind("key", key)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .map(r -> assemble(h, List.of(r), false).getFirst()));
  }

  private static org.jdbi.v3.core.statement.Update bindRow(
      org.jdbi.v3.core.statement.Update u, WorkloadIdentityProvider p) {
    u.bind("id", p.id())
        .bind("name", p.name())
        .bind("description", p.description().orElse(null))
        .bind("issuer", p.issuer())
        .bind("audience", p.audience())
        .bind("enabled", p.enabled())
        .bind("replayProtection", p.replayProtection())
        .bind("createdAt", p.createdAt().toEpochMilli())
        .bind("updatedAt", p.updatedAt().toEpochMilli());
    return switch (p.verification()) {
      case Verification.Discovery d ->
          u.bind("verificationType", "discovery")
              .bind("discoveryUrl", d.discoveryUrl().orElse(null))
              .bind("jwksJson", (String) null);
      case Verification.UploadedJwks j ->
          u.bind("verificationType", "uploaded_jwks")
              .bind("discoveryUrl", (String) null)
              .bind("jwksJson", j.jwksJson());
    };
  }

  private static void insertTransformations(Handle h, WorkloadIdentityProvider p) {
    if (p.attributeTransformations().isEmpty()) {
      return;
    }
    var batch =
        h.prepareBatch(
            "INSERT INTO provider_transformations (provider_id, ordinal, attribute, expression)"
                + " VALUES (:providerId, :ordinal, :attribute, :expression)");
    List<AttributeTransformation> all = p.attributeTransformations();
    for (int i = 0; i < all.size(); i++) {
      batch
          .bind("providerId", p.id())
          .bind("ordinal", i)
          .bind("attribute", all.get(i).attribute())
          .bind("expression", all.get(i).expression())
          .add();
    }
    batch.execute();
  }

  /** The provider columns, before its transformations are attached. */
  private record Row(
      String id,
      String name,
      Optional<String> description,
      String issuer,
      String audience,
      boolean enabled,
      Verification verification,
      boolean replayProtection,
      java.time.Instant createdAt,
      java.time.Instant updatedAt) {}

  private static Row row(ResultSet rs) throws SQLException {
    String type = rs.getString("verification_type");
    Verification verification =
        switch (type) {
          case "discovery" ->
              new Verification.Discovery(Columns.optionalString(rs, "discovery_url"));
          case "uploaded_jwks" -> new Verification.UploadedJwks(rs.getString("jwks_json"));
          default ->
              throw new IllegalStateException("unknown verification_type in the database: " + type);
        };
    return new Row(
        rs.getString("id"),
        rs.getString("name"),
        Columns.optionalString(rs, "description"),
        rs.getString("issuer"),
        rs.getString("audience"),
        rs.getBoolean("enabled"),
        verification,
        rs.getBoolean("replay_protection"),
        Columns.instant(rs, "created_at"),
        Columns.instant(rs, "updated_at"));
  }

  /**
   * Attaches transformations, read in one query: for the given rows, or for every provider ({@code
   * all}).
   */
  private static List<WorkloadIdentityProvider> assemble(Handle h, List<Row> rows, boolean all) {
    if (rows.isEmpty()) {
      return List.of();
    }
    String select = "SELECT provider_id, attribute, expression FROM provider_transformations";
    var query =
        all
            ? h.createQuery(select + " ORDER BY provider_id, ordinal")
            : h.createQuery(select + " WHERE provider_id IN (<ids>) ORDER BY provider_id, ordinal")
                .bindList("ids", rows.stream().map(Row::id).toList());
    Map<String, List<AttributeTransformation>> byProvider = new HashMap<>();
    query
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("provider_id"),
                    new AttributeTransformation(
                        rs.getString("attribute"), rs.getString("expression"))))
        .forEach(
            e -> byProvider.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return rows.stream()
        .map(
            r ->
                new WorkloadIdentityProvider(
                    r.id(),
                    r.name(),
                    r.description(),
                    r.issuer(),
                    r.audience(),
                    r.enabled(),
                    byProvider.getOrDefault(r.id(), List.of()),
                    r.verification(),
                    r.replayProtection(),
                    r.createdAt(),
                    r.updatedAt()))
        .toList();
  }
}
