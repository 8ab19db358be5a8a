package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EmulateCommandTest {
  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        new CommandLine(new EmulateCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void printJwksWhenKeyFileGivenThenSamePublicJwksOnEveryRun(@TempDir Path dir) throws Exception {
    String keyFile = dir.resolve("gce.jwk").toString();

    Run first = run("gce-metadata", "--print-jwks", "--key-file", keyFile);
    Run second = run("gce-metadata", "--print-jwks", "--key-file", keyFile);

    assertThat(first.exitCode()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    JWKSet jwks = JWKSet.parse(first.out());
    assertThat(jwks.getKeys()).hasSize(1);
    assertThat(jwks.getKeys().getFirst().isPrivate()).isFalse();
  }

  @Test
  void gkePrintJwksWhenKeyFileGivenThenPublicKeyOnly(@TempDir Path dir) throws Exception {
    Run run = run("gke", "--print-jwks", "--key-file", dir.resolve("gke.jwk").toString());

    assertThat(run.exitCode()).isZero();
    assertThat(JWKSet.parse(run.out()).getKeys().getFirst().getKeyID())
        .matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void gceWhenZoneInvalidThenExit2NamingTheZone() {
    Run run = run("gce-metadata", "--port", "0", "--zone", "mars");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "wif: error: zone must look like 'us-central1-a': 'mars'" + System.lineSeparator());
  }

  @Test
  void gkeWhenTokenFileMissingThenExit2() {
    Run run = run("gke", "--port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--token-file PATH is required");
  }

  @Test
  void gkeWhenNamespaceInvalidThenExit2NamingIt(@TempDir Path dir) {
    Run run =
        run(
            "gke",
            "--port",
            "0",
            "--token-file",
            dir.resolve("t").toString(),
            "--namespace",
            "Bad_NS");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("namespace must be a lower-case RFC 1123 label: 'Bad_NS'");
  }
}
