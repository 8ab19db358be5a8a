package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.FederationRule;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.token.StoredSigningKey;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Upgrades: a database written at each earlier schema version, with data, opened by this build.
 * Migrations go forward only; every earlier version must come up with its data intact.
 */
class MigrationUpgradeTest {
  @TempDir Path dir;

  private static SQLiteDataSource dataSource(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.enforceForeignKeys(true);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file);
    return ds;
  }

  private static Flyway flyway(SQLiteDataSource ds, String target) {
    return Flyway.configure(MigrationUpgradeTest.class.getClassLoader())
        .dataSource(ds)
        .locations(new Dialect.Sqlite().migrationLocations().toArray(String[]::new))
        .target(target)
        .load();
  }

  /** Every version this build migrates to, oldest first. */
  private List<String> versions() {
    SQLiteDataSource ds = dataSource(dir.resolve("versions.db"));
    return Arrays.stream(flyway(ds, "latest").info().all())
        .map(MigrationInfo::getVersion)
        .map(Object::toString)
        .toList();
  }

  /** Rows in the V1 shape, which every later migration keeps. */
  private static void insertV1Data(SQLiteDataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        var s = c.createStatement()) {
      s.execute(
          "INSERT INTO projects (id, name, created_at) VALUES ('proj_1', 'Production', 1000)");
      s.execute(
          "INSERT INTO service_accounts (id, project_id, name, role, created_at)"
              + " VALUES ('sa_1', 'proj_1', 'svc', 'member', 1001)");
      s.execute(
          "INSERT INTO workload_identity_providers (id, name, description, issuer, audience,"
              + " enabled, verification_type, discovery_url, jwks_json, replay_protection,"
              + " created_at, updated_at) VALUES ('wip_1', 'google', NULL,"
              + " 'https://accounts.google.com', 'https://api.openai.com/v1', 1, 'discovery',"
              + " NULL, NULL, 0, 1002, 1002)");
      s.execute(
          "INSERT INTO provider_transformations (provider_id, ordinal, attribute, expression)"
              + " VALUES ('wip_1', 0, 'subject', 'assertion.sub')");
      s.execute(
          "INSERT INTO federation_rules (id, provider_id, name, description, enabled, project_id,"
              + " service_account_id, permissions_type, clamp_to_subject_token_expiry,"
              + " created_at, updated_at) VALUES ('rule_1', 'wip_1', 'r', NULL, 1, 'proj_1',"
              + " 'sa_1', 'service_account_default', 0, 1003, 1003)");
      s.execute(
          "INSERT INTO federation_rule_matchers (rule_id, ordinal, attribute, value_type,"
              + " value_text) VALUES ('rule_1', 0, 'sub', 'string', '1234')");
      s.execute(
          "INSERT INTO admin_keys (id, name, secret_hash, display_prefix, created_at)"
              + " VALUES ('key_1', 'ops', 'hash-1', 'wifadm_ab', 1004)");
      s.execute(
          "INSERT INTO signing_keys (kid, private_jwk_json, created_at)"
              + " VALUES ('kid-1', '{\"kty\":\"EC\"}', 1005)");
    }
  }

  @Test
  void openWhenDatabaseAtEachEarlierSchemaVersionThenMigratedWithItsDataIntact() throws Exception {
    List<String> versions = versions();
    assertThat(versions).hasSizeGreaterThan(2);
    for (String version : versions.subList(0, versions.size() - 1)) {
      Path file = dir.resolve("v" + version + ".db");
      SQLiteDataSource ds = dataSource(file);
      flyway(ds, version).migrate();
      assertThat(flyway(ds, version).info().current().getVersion()).hasToString(version);
      insertV1Data(ds);

      try (JdbcFederationStore store = Stores.open(file.toString())) {
        assertThat(flyway(ds, "latest").info().current().getVersion())
            .as("from V" + version)
            .hasToString(versions.getLast());
        assertThat(store.projects().find("proj_1")).as("from V" + version).isPresent();
        assertThat(store.serviceAccounts().find("sa_1").orElseThrow().projectId())
            .isEqualTo("proj_1");
        WorkloadIdentityProvider provider = store.providers().find("wip_1").orElseThrow();
        assertThat(provider.issuer()).isEqualTo("https://accounts.google.com");
        assertThat(provider.attributeTransformations()).hasSize(1);
        FederationRule rule = store.rules().find("rule_1").orElseThrow();
        assertThat(rule.attributeMatchers()).containsEntry("sub", "1234");
        assertThat(rule.name()).isEqualTo(Optional.of("r"));
        assertThat(store.adminKeys().findBySecretHash("hash-1")).isPresent();
        assertThat(store.signingKeys().listAll())
            .extracting(StoredSigningKey::kid)
            .containsExactly("kid-1");
      }
    }
  }
}
