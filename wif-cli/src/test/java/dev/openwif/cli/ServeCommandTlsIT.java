package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.testkit.OpenSsl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wif serve --tls-cert --tls-key} from the packaged jar, with a certificate made by the real
 * {@code openssl} and checked by the real {@code curl --cacert}, as the operations guide shows.
 */
class ServeCommandTlsIT {
  @TempDir Path dir;

  /** {@code curl -sS --cacert CA URL}: its exit status and what it printed (20 s at most). */
  private record Curl(int exit, String output) {}

  private Curl curl(Path cacert, String url) throws Exception {
    Path output = Files.createTempFile(dir, "curl", ".txt");
    Process process =
        new ProcessBuilder("curl", "-sS", "--max-time", "10", "--cacert", cacert.toString(), url)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("curl did not finish in 20 s");
    }
    return new Curl(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  @Test
  void serveWhenTlsFilesThenCurlReachesHealthzAndReplacedFilesAreServedWithoutRestart()
      throws Exception {
    OpenSsl.Pair first = OpenSsl.selfSignedRsa(dir, "first");
    OpenSsl.Pair second = OpenSsl.selfSignedRsa(dir, "second");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.copy(first.certificate(), cert);
    Files.copy(first.key(), key);
    Path stderr = dir.resolve("stderr.txt");
    Process server =
        ServeCommandIT.launch(
            stderr,
            List.of(),
            "serve",
            "--port",
            "0",
            "--db",
            dir.resolve("wif.db").toString(),
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            key.toString());
    try {
      List<String> lines = ServeCommandIT.linesUntilReady(server);
      String url = lines.getLast().substring(StartupSummary.LISTENING.length());

      assertThat(url).matches("https://127\\.0\\.0\\.1:\\d+");
      assertThat(lines)
          .anyMatch(
              l ->
                  l.startsWith("  tls:           HTTPS with 'CN=first'")
                      && l.endsWith("TLS 1.3 and 1.2 only; re-read when its files change"));
      Curl trusted = curl(first.certificate(), url + "/healthz");
      assertThat(trusted.exit()).as(trusted.output()).isZero();
      assertThat(curl(second.certificate(), url + "/healthz").exit())
          .as("the second certificate is not served yet")
          .isNotZero();

      Files.copy(second.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      Curl afterSwap = curl(second.certificate(), url + "/healthz");
      while (afterSwap.exit() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(250);
        afterSwap = curl(second.certificate(), url + "/healthz");
      }

      assertThat(afterSwap.exit()).as(afterSwap.output()).isZero();
      assertThat(curl(first.certificate(), url + "/healthz").exit())
          .as("the first certificate is no longer served")
          .isNotZero();
    } finally {
      ServeCommandIT.stop(server);
    }
    assertThat(Files.readString(stderr))
        .contains("TLS certificate reloaded from " + cert + ": 'CN=second'")
        .doesNotContain("Exception");
  }
}
