package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulators as a user runs them: the packaged runnable jar in a separate process, one ready
 * line, stopped by SIGTERM; nothing on stderr but the command's own lines.
 */
class EmulateCommandIT {
  private static Process launch(Path stderr, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(ServeCommandIT.JAR);
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
  }

  private static String readyLine(Process process) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .get(60, TimeUnit.SECONDS);
  }

  private static String urlIn(String line) {
    int start = line.indexOf("http://");
    return line.substring(start, line.indexOf(' ', start));
  }

  private static int stop(Process process) throws Exception {
    process.destroy(); // SIGTERM
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s of SIGTERM").isTrue();
    return process.exitValue();
  }

  @Test
  void gkeWhenLaunchedThenOneReadyLineTokenFileAndCleanStopOnSigterm(@TempDir Path dir)
      throws Exception {
    Path tokenFile = dir.resolve("token");
    Path stderrFile = dir.resolve("stderr.txt");
    Process process =
        launch(
            stderrFile,
            "emulate",
            "gke",
            "--port",
            "0",
            "--token-file",
            tokenFile.toString(),
            "--expiration-seconds",
            "600");
    try {
      String line = readyLine(process);

      assertThat(line).startsWith("GKE issuer emulator ready on http://127.0.0.1:");
      assertThat(Files.readString(tokenFile)).startsWith("eyJ");
      HttpResponse<String> discovery =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(urlIn(line) + "/.well-known/openid-configuration"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(discovery.statusCode()).isEqualTo(200);
    } finally {
      int exit = stop(process);
      String stderr = Files.readString(stderrFile);
      assertThat(exit).isEqualTo(143);
      assertThat(stderr).doesNotContain("Exception").doesNotContain("SLF4J");
    }
  }

  @Test
  void gceWhenLaunchedThenReadyLineNamesMetadataHostAndServesIdentity(@TempDir Path dir)
      throws Exception {
    Path stderrFile = dir.resolve("stderr.txt");
    Process process =
        launch(
            stderrFile,
            "emulate",
            "gce-metadata",
            "--port",
            "0",
            "--issuer",
            "https://accounts.google.com");
    try {
      String line = readyLine(process);

      assertThat(line)
          .startsWith("GCE metadata emulator ready on http://127.0.0.1:")
          .contains("issuer https://accounts.google.com");
      HttpResponse<String> identity =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              urlIn(line)
                                  + "/computeMetadata/v1/instance/service-accounts/default/identity?audience=x"))
                      .header("Metadata-Flavor", "Google")
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(identity.statusCode()).isEqualTo(200);
      assertThat(identity.body()).startsWith("eyJ");
    } finally {
      assertThat(stop(process)).isEqualTo(143);
      assertThat(Files.readString(stderrFile)).doesNotContain("Exception").doesNotContain("SLF4J");
    }
  }

  @Test
  void emulateWhenPortBusyThenExactlyOneErrorLineAndExit1(@TempDir Path dir) throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(busy.getLocalPort());
      List<List<String>> runs =
          List.of(
              List.of("emulate", "gce-metadata", "--port", port),
              List.of(
                  "emulate", "gke", "--port", port, "--token-file", dir.resolve("t").toString()));
      for (List<String> args : runs) {
        Path stderr = dir.resolve("stderr-" + args.get(1) + ".txt");
        Process process = launch(stderr, args.toArray(String[]::new));

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(args.get(1)).isTrue();
        assertThat(process.exitValue()).as(args.get(1)).isEqualTo(1);
        assertThat(Files.readString(stderr).lines().toList())
            .as(args.get(1))
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .startsWith("wif: error: --port " + port + " is already in use on 127.0.0.1");
      }
    }
  }
}
