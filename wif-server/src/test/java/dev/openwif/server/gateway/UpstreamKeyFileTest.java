package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamKeyFileTest {
  @TempDir Path dir;

  private UpstreamKeyFile watching(Path file) {
    return new UpstreamKeyFile(file, Duration.ZERO);
  }

  @Test
  void currentWhenFileHasATrailingNewlineThenTheKeyWithoutIt() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-one-0123456789\n");

    assertThat(watching(file).current()).contains("sk-one-0123456789");
  }

  @Test
  void currentWhenFileRewrittenThenTheNewKey() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-one-0123456789\n");
    UpstreamKeyFile key = watching(file);

    Files.writeString(file, "sk-two-0123456789abc\n");

    assertThat(key.current()).contains("sk-two-0123456789abc");
  }

  @Test
  void currentWhenFileReplacedByRenameThenTheNewKey() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-one-0123456789");
    UpstreamKeyFile key = watching(file);

    Path next = Files.writeString(dir.resolve("key.new"), "sk-two-0123456789");
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    assertThat(key.current()).contains("sk-two-0123456789");
  }

  /** A Kubernetes secret volume: key -> ..data/key, ..data -> ..2024_1; an update swaps ..data. */
  @Test
  void currentWhenKubernetesSecretSymlinkSwappedThenTheNewKey() throws Exception {
    Path first = Files.createDirectory(dir.resolve("..2024_1"));
    Files.writeString(first.resolve("key"), "sk-one-0123456789\n");
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Path file = Files.createSymbolicLink(dir.resolve("key"), Path.of("..data", "key"));
    UpstreamKeyFile key = watching(file);
    assertThat(key.current()).contains("sk-one-0123456789");

    Path second = Files.createDirectory(dir.resolve("..2024_2"));
    Files.writeString(second.resolve("key"), "sk-one-0123456789\n".replace("one", "two"));
    Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
    Files.move(swap, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

    assertThat(key.current()).contains("sk-two-0123456789");
  }

  @Test
  void currentWhenNewContentEmptyOrInvalidOrFileGoneThenTheLastGoodKeyStays() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-one-0123456789");
    UpstreamKeyFile key = watching(file);

    Files.writeString(file, "\n");
    assertThat(key.current()).contains("sk-one-0123456789");
    Files.writeString(file, "sk with spaces");
    assertThat(key.current()).contains("sk-one-0123456789");
    Files.delete(file);
    assertThat(key.current()).contains("sk-one-0123456789");

    Files.writeString(file, "sk-three-0123456789");
    assertThat(key.current()).contains("sk-three-0123456789");
  }

  @Test
  void currentWhenNewContentRefusedThenOneWarnNamingTheFileNeverTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-one-0123456789");
    UpstreamKeyFile key = watching(file);
    Files.writeString(file, "sk-bad key-0123456789");

    try (ServerLogs logs = ServerLogs.capture()) {
      key.current();
      key.current();
      key.current();

      assertThat(logs.warnings())
          .singleElement()
          .satisfies(
              warning ->
                  assertThat(warning.message())
                      .contains(file.toString())
                      .doesNotContain("sk-one")
                      .doesNotContain("sk-bad"));
    }
  }

  @Test
  void constructWhenFileMissingEmptyOrInvalidThenRefusedNamingTheFlag() throws Exception {
    assertThatThrownBy(() -> watching(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--upstream-api-key-file");
    Path empty = Files.writeString(dir.resolve("empty"), " \n");
    assertThatThrownBy(() -> watching(empty)).hasMessageContaining("is empty");
    Path spaced = Files.writeString(dir.resolve("spaced"), "sk secret-value");
    assertThatThrownBy(() -> watching(spaced))
        .hasMessageContaining("usable key")
        .hasMessageNotContaining("secret-value");
  }

  @Test
  void toStringWhenKeyLoadedThenNamesTheFileNotTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-one-0123456789");

    assertThat(watching(file).toString()).contains("key").doesNotContain("sk-one");
  }

  @Test
  void currentWhenCheckedWithinTheIntervalThenTheFileIsNotLookedAtAgain() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "sk-one-0123456789");
    UpstreamKeyFile key = new UpstreamKeyFile(file, Duration.ofHours(1));

    Files.writeString(file, "sk-two-0123456789");

    assertThat(key.current()).contains("sk-one-0123456789");
  }
}
