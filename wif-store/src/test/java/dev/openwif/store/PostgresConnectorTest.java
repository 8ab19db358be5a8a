package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.PageRequest;
import dev.openwif.federation.StoreUnavailableException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresConnectorTest {

  private static PGSimpleDataSource pooled(String url) {
    return PostgresConnector.pooled((DatabaseSpec.PostgresUrl) DatabaseSpec.parse(url));
  }

  @Test
  void pooledWhenUrlSetsNoTimeoutsThenConnectSocketAndStatementTimeoutsByDefault() {
    PGSimpleDataSource ds = pooled("postgresql://wif@db.example:5432/wif");
    assertThat(ds.getConnectTimeout()).isEqualTo(10);
    assertThat(ds.getLoginTimeout()).isEqualTo(10);
    assertThat(ds.getSocketTimeout()).isEqualTo(60);
    assertThat(ds.getOptions()).isEqualTo("-c statement_timeout=30000");
  }

  @Test
  void pooledWhenUrlSetsTimeoutsThenTheUrlWins() {
    PGSimpleDataSource ds =
        pooled(
            "postgresql://wif@db.example/wif?connectTimeout=3&socketTimeout=0"
                + "&options=-c%20statement_timeout%3D1500");
    assertThat(ds.getConnectTimeout()).isEqualTo(3);
    assertThat(ds.getSocketTimeout()).isZero();
    assertThat(ds.getOptions()).isEqualTo("-c statement_timeout=1500");
  }

  @Test
  void pooledWhenUrlHasOtherOptionsThenStatementTimeoutAppended() {
    PGSimpleDataSource ds =
        pooled("postgresql://wif@db.example/wif?options=-c%20search_path%3Dwif");
    assertThat(ds.getOptions()).isEqualTo("-c search_path=wif -c statement_timeout=30000");
  }

  @Test
  void admissionDataSourceWhenUrlSetsTimeoutsThenTheAdmissionBoundsWinAllTheSame() {
    PGSimpleDataSource ds =
        PostgresConnector.admissionDataSource(
            (DatabaseSpec.PostgresUrl)
                DatabaseSpec.parse(
                    "postgresql://wif@db.example/wif?connectTimeout=30&socketTimeout=0"
                        + "&options=-c%20statement_timeout%3D60000"));
    assertThat(ds.getConnectTimeout()).isEqualTo(3);
    assertThat(ds.getLoginTimeout()).isEqualTo(3);
    assertThat(ds.getSocketTimeout()).isEqualTo(3);
    assertThat(ds.getOptions()).endsWith("-c statement_timeout=2000");
    assertThat(ds.getApplicationName()).isEqualTo("openwif-admissions");
  }

  @Test
  void admissionPoolWhenUrlSetsALongStatementTimeoutThenSessionsHaveTwoSeconds() throws Exception {
    try (var pool =
            PostgresConnector.admissionPool(
                (DatabaseSpec.PostgresUrl)
                    DatabaseSpec.parse(
                        StoreFixture.POSTGRES_URL
                            + (StoreFixture.POSTGRES_URL.contains("?") ? "&" : "?")
                            + "options=-c%20statement_timeout%3D60000"));
        Connection c = pool.getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SHOW statement_timeout")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("2s");
    }
  }

  @Test
  void readWhenTableLockedPastTheStatementTimeoutThenStoreUnavailableNotAGenericFailure()
      throws Exception {
    String schema =
        "wif_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    try (Connection admin = StoreFixture.postgresAdmin()) {
      admin.createStatement().execute("CREATE SCHEMA " + schema);
      try (JdbcFederationStore store =
          Stores.open(
              StoreFixture.POSTGRES_URL
                  + (StoreFixture.POSTGRES_URL.contains("?") ? "&" : "?")
                  + "currentSchema="
                  + schema
                  + "&options=-c%20statement_timeout%3D300")) {
        try (Connection locker = StoreFixture.postgresAdmin();
            Statement lock = locker.createStatement()) {
          locker.setAutoCommit(false);
          lock.execute("LOCK TABLE " + schema + ".projects IN ACCESS EXCLUSIVE MODE");
          long start = System.nanoTime();

          assertThatThrownBy(() -> store.projects().list(PageRequest.first(10), true))
              .isInstanceOf(StoreUnavailableException.class)
              .hasMessageContaining("57014");
          assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
          locker.rollback();
        }
        assertThat(store.projects().list(PageRequest.first(10), true).data()).isEmpty();
      } finally {
        admin.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
