package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {
  @TempDir Path dir;

  @Test
  void readWhenFileGivenThenItsContentStripped() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "  the-secret\n");

    assertThat(SecretFile.read("WIF_MASTER_KEY", null, "--master-key-file", Optional.of(file)))
        .contains("the-secret");
  }

  @Test
  void readWhenEnvironmentGivenThenIt() {
    assertThat(
            SecretFile.read(
                "WIF_MASTER_KEY", " env-secret ", "--master-key-file", Optional.empty()))
        .contains("env-secret");
    assertThat(SecretFile.read("WIF_MASTER_KEY", "  ", "--master-key-file", Optional.empty()))
        .isEmpty();
  }

  @Test
  void readWhenBothGivenThenRefusedNamingBothNeverTheSecret() throws Exception {
    Path file = Files.writeString(dir.resolve("key"), "file-secret");

    assertThatThrownBy(
            () ->
                SecretFile.read(
                    "WIF_MASTER_KEY", "env-secret", "--master-key-file", Optional.of(file)))
        .hasMessage("WIF_MASTER_KEY and --master-key-file are both set; give only one");
  }

  @Test
  void readWhenFileEmptyOrMissingThenRefusedNamingFlagAndFile() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> SecretFile.fromFile("--master-key-file", empty))
        .hasMessage("--master-key-file " + empty + ": the file is empty");
    assertThatThrownBy(() -> SecretFile.fromFile("--master-key-file", missing))
        .hasMessage("--master-key-file " + missing + ": no such file");
  }
}
