package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;

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
}
