package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EffectiveConfigurationTest {
  @TempDir Path dir;

  @Test
  void linesWhenSetByFlagEnvironmentAndFileThenEachWithItsSourceAndNoPassword() throws Exception {
    Path file = Files.writeString(dir.resolve("wif.yaml"), "token-ttl: 600\n");
    CommandLine root =
        WifCommand.commandLine(
            Map.of("WIF_DB", "postgresql://wif:hunter2@127.0.0.1/test?sslpassword=x2"));
    root.parseArgs("serve", "--port", "0", "--config", file.toString(), "--dev");

    assertThat(EffectiveConfiguration.lines(root.getSubcommands().get("serve").getCommandSpec()))
        .containsExactly(
            "  settings:      --config " + file + " (flag)",
            "                 --db postgresql://wif:***@127.0.0.1/test?sslpassword=*** (env WIF_DB)",
            "                 --dev (flag)",
            "                 --port 0 (flag)",
            "                 --token-ttl 600 (file " + file + ")");
  }

  @Test
  void redactWhenNoPasswordThenUnchanged() {
    assertThat(EffectiveConfiguration.redact("https://api.openai.com/v1"))
        .isEqualTo("https://api.openai.com/v1");
    assertThat(EffectiveConfiguration.redact("postgresql://wif@h/db"))
        .isEqualTo("postgresql://wif@h/db");
  }
}
