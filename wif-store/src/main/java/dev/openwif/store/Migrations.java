package dev.openwif.store;

import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Brings a database's schema up to date with Flyway. */
final class Migrations {
  private Migrations() {}

  /**
   * Applies pending migrations.
   *
   * @param schema the schema to migrate and create when missing (PostgreSQL's {@code
   *     currentSchema})
   * @throws IllegalArgumentException when the schema cannot be migrated, e.g. it was written by a
   *     newer version
   */
  static void migrate(
      DataSource dataSource, Dialect dialect, Optional<String> schema, String display) {
    var config =
        Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(dataSource)
            .locations(dialect.migrationLocations().toArray(String[]::new))
            .failOnMissingLocations(true);
    schema.ifPresent(s -> config.schemas(s).createSchemas(true));
    try {
      config.load().migrate();
    } catch (FlywayException e) {
      throw new IllegalArgumentException(
          "cannot migrate the database schema of " + display + ": " + e.getMessage(), e);
    }
  }
}
