package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabasePasswordTest {
  @Test
  void applyWhenUrlWithoutUserThenPasswordAloneAndEscaped() {
    assertThat(DatabasePassword.apply("postgresql://127.0.0.1/test?currentSchema=a", "p+w d"))
        .isEqualTo("postgresql://:p%2Bw%20d@127.0.0.1/test?currentSchema=a");
  }

  @Test
  void applyWhenUrlHasPasswordThenRefused() {
    assertThatThrownBy(() -> DatabasePassword.apply("postgresql://u:old@127.0.0.1/test", "new"))
        .hasMessage("--db URL holds a password and --db-password-file is set; give only one");
  }

  @Test
  void applyWhenSqliteFileThenRefused() {
    assertThatThrownBy(() -> DatabasePassword.apply("./data/wif.db", "pw"))
        .hasMessageStartingWith("--db-password-file is for a PostgreSQL --db URL");
  }
}
