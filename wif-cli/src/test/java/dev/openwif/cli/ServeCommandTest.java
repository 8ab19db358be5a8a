package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void configWhenOptionsGivenThenServerConfigCarriesThem() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command)
        .parseArgs(
            "--host",
            "0.0.0.0",
            "--port",
            "9000",
            "--public-url",
            "https://wif.example.com/",
            "--db",
            "postgresql://localhost/test",
            "--dev",
            "--token-ttl",
            "1800");

    ServerConfig config = command.config("bootstrap-key-0123456789");

    assertThat(config)
        .isEqualTo(
            ServerConfig.defaults()
                .withHost("0.0.0.0")
                .withPort(9000)
                .withPublicUrl("https://wif.example.com")
                .withDbSpec("postgresql://localhost/test")
                .withDev(true)
                .withTokenTtl(Duration.ofSeconds(1800))
                .withBootstrapAdminKey("bootstrap-key-0123456789"));
  }

  @Test
  void configWhenNoOptionsThenDefaults() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.config(null)).isEqualTo(ServerConfig.defaults());
  }

  @Test
  void serveWhenPortBusyThenOneLineErrorAndExit1() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      CommandLine cli = WifCommand.commandLine();
      cli.setErr(new PrintWriter(err));

      int exit =
          cli.execute(
              "serve",
              "--port",
              String.valueOf(busy.getLocalPort()),
              "--db",
              dir.resolve("wif.db").toString());

      assertThat(exit).isEqualTo(1);
      assertThat(err.toString().strip())
          .startsWith(
              "wif: error: --port " + busy.getLocalPort() + " is already in use on 127.0.0.1")
          .doesNotContain("\n");
    }
  }

  @Test
  void serveWhenTokenTtlNotPositiveThenUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("serve", "--token-ttl", "0", "--db", dir.resolve("wif.db").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--token-ttl must be a positive number of seconds");
  }
}
