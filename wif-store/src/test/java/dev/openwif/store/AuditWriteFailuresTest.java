package dev.openwif.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditWriteFailuresTest {

  @ParameterizedTest
  @ValueSource(strings = {"08006", "08001", "40001", "40P01", "57014", "57P01", "53300", "55P03"})
  void worthRetryingWhenConnectionTimeoutLockOrSerializationThenTrue(String sqlState) {
    RuntimeException wrapped =
        new IllegalStateException("jdbi", new SQLException("server said no", sqlState));
    assertThat(AuditWriteFailures.worthRetrying(wrapped)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"22001", "23505", "23502", "42P01", "42703", "XX000"})
  void worthRetryingWhenDataConstraintOrSchemaErrorThenFalse(String sqlState) {
    RuntimeException wrapped =
        new IllegalStateException("jdbi", new SQLException("server said no", sqlState));
    assertThat(AuditWriteFailures.worthRetrying(wrapped)).isFalse();
  }

  @Test
  void worthRetryingWhenTransientJdbcTypesOrSqliteBusyThenTrue() {
    assertThat(AuditWriteFailures.worthRetrying(new SQLTimeoutException("timeout"))).isTrue();
    assertThat(
            AuditWriteFailures.worthRetrying(
                new IllegalStateException(new SQLTransientConnectionException("pool timeout"))))
        .isTrue();
    // sqlite-jdbc: no SQLSTATE, the result code (5 = SQLITE_BUSY, 6 = SQLITE_LOCKED)
    assertThat(AuditWriteFailures.worthRetrying(new SQLException("[SQLITE_BUSY]", null, 5)))
        .isTrue();
    assertThat(AuditWriteFailures.worthRetrying(new SQLException("[SQLITE_LOCKED]", null, 6)))
        .isTrue();
    assertThat(AuditWriteFailures.worthRetrying(new SQLException("[SQLITE_CONSTRAINT]", null, 19)))
        .isFalse();
  }

  @Test
  void worthRetryingWhenNotFromTheDatabaseThenFalse() {
    assertThat(AuditWriteFailures.worthRetrying(new NullPointerException())).isFalse();
    assertThat(AuditWriteFailures.worthRetrying(new IllegalArgumentException("bad"))).isFalse();
  }

  @Test
  void describeWhenSqlFailureThenClassStateAndCutMessage() {
    String long300 = "x".repeat(300);
    String text =
        AuditWriteFailures.describe(
            new IllegalStateException(long300, new SQLException("m", "57014")));
    assertThat(text)
        .startsWith("java.lang.IllegalStateException [SQLSTATE 57014]: xxx")
        .endsWith("...")
        .hasSizeLessThan(300);
  }
}
