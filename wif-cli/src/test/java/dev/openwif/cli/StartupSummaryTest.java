package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupSummaryTest {
  private static StartupSummary summary(boolean masterKeySet, long plainSigningKeys) {
    return new StartupSummary(
        "1.2.3",
        "http://127.0.0.1:8080",
        "/tmp/wif.db",
        false,
        false,
        masterKeySet,
        plainSigningKeys,
        false);
  }

  @Test
  void linesWhenNoMasterKeyThenKeysNotEncrypted() {
    assertThat(summary(false, 1).lines())
        .contains("  signing keys:  NOT encrypted at rest (set WIF_MASTER_KEY to encrypt them)");
  }

  @Test
  void linesWhenMasterKeyAndEveryKeyEncryptedThenEncrypted() {
    assertThat(summary(true, 0).lines())
        .contains("  signing keys:  encrypted at rest (WIF_MASTER_KEY is set)");
  }

  @Test
  void linesWhenMasterKeySetAfterKeysWereStoredThenSaysWhichAreNotEncrypted() {
    assertThat(summary(true, 2).lines())
        .contains(
            "  signing keys:  2 stored before WIF_MASTER_KEY was set are NOT encrypted at rest"
                + " (new keys are)")
        .noneMatch(line -> line.contains("signing keys:  encrypted at rest"));
  }

  @Test
  void linesWhenReadyThenListeningLineComesLast() {
    assertThat(summary(false, 0).lines())
        .last()
        .isEqualTo("OpenWIF listening on http://127.0.0.1:8080");
  }
}
