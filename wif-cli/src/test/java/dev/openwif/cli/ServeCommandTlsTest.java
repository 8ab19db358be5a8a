package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.ServerConfig;
import dev.openwif.server.tls.TlsFiles;
import dev.openwif.testkit.OpenSsl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --tls-cert} and {@code --tls-key}: both or neither, and bad files refused up front. */
class ServeCommandTlsTest {
  @TempDir Path dir;

  private record Run(int exit, String err) {}

  private Run serve(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine();
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 5];
    all[0] = "serve";
    all[1] = "--port";
    all[2] = "0";
    all[3] = "--db";
    all[4] = dir.resolve("wif.db").toString();
    System.arraycopy(args, 0, all, 5, args.length);
    return new Run(cli.execute(all), err.toString());
  }

  @Test
  void configWhenBothTlsFlagsThenCarriedAndThePublicUrlIsHttps() {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "server");
    ServeCommand command = new ServeCommand();
    new CommandLine(command)
        .parseArgs("--tls-cert", pair.certificate().toString(), "--tls-key", pair.key().toString());

    ServerConfig config = command.config(null);

    assertThat(config.tls()).contains(new TlsFiles(pair.certificate(), pair.key()));
    assertThat(config.effectivePublicUrl(8443)).isEqualTo("https://127.0.0.1:8443");
  }

  @Test
  void configWhenNoTlsFlagsThenPlainHttp() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs();

    ServerConfig config = command.config(null);

    assertThat(config.tls()).isEmpty();
    assertThat(config.effectivePublicUrl(8080)).isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void serveWhenOnlyOneTlsFlagThenOneLineUsageErrorAndNoDatabase() {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "server");
    for (String[] args :
        new String[][] {
          {"--tls-cert", pair.certificate().toString()}, {"--tls-key", pair.key().toString()}
        }) {
      Run run = serve(args);

      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err())
          .isEqualTo(
              "wif: error: --tls-cert and --tls-key go together: give both to serve HTTPS, or"
                  + " neither to serve plain HTTP behind a TLS-terminating proxy"
                  + System.lineSeparator());
    }
    assertThat(dir.resolve("wif.db")).doesNotExist();
  }

  @Test
  void serveWhenKeyOfAnotherCertificateThenOneLineNamingTheFilesAndNoDatabase() {
    OpenSsl.Pair first = OpenSsl.selfSignedRsa(dir, "first");
    OpenSsl.Pair second = OpenSsl.selfSignedRsa(dir, "second");

    Run run =
        serve("--tls-cert", first.certificate().toString(), "--tls-key", second.key().toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "wif: error: TLS key "
                + second.key()
                + " does not belong to the certificate in "
                + first.certificate()
                + " (its public key is another)"
                + System.lineSeparator());
    assertThat(dir.resolve("wif.db")).doesNotExist();
  }

  @Test
  void serveWhenCertificateFileUnreadableThenOneLineNamingIt() throws Exception {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "server");
    Path missing = dir.resolve("missing.crt");

    Run run = serve("--tls-cert", missing.toString(), "--tls-key", pair.key().toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "wif: error: cannot read TLS file "
                + missing
                + ": no such file"
                + System.lineSeparator());
    assertThat(Files.exists(dir.resolve("wif.db"))).isFalse();
  }
}
