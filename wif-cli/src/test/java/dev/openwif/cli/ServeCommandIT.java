package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.testkit.TestCrypto;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wif serve} as an operator runs it: the packaged runnable jar in a separate process, its
 * stdout, SIGTERM. (Running the jar, not the test classpath, also proves the jar holds every class
 * the server needs.)
 */
class ServeCommandIT {
  /** The runnable jar {@code package} built; Failsafe runs after it. */
  static final String JAR = Path.of("target", "wif.jar").toAbsolutePath().toString();

  static Process launch(Path stderr, List<String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    builder.environment().remove(ServeCommand.BOOTSTRAP_ENV);
    for (int i = 0; i + 1 < env.size(); i += 2) {
      builder.environment().put(env.get(i), env.get(i + 1));
    }
    return builder.start();
  }

  /** Lines of stdout up to and including the "listening" line (bounded: 60 s). */
  static List<String> linesUntilReady(Process process) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(
            () -> {
              List<String> lines = new ArrayList<>();
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                  if (line.startsWith("OpenWIF listening on ")) {
                    break;
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              return lines;
            })
        .get(60, TimeUnit.SECONDS);
  }

  static int stop(Process process) throws Exception {
    process.destroy(); // SIGTERM
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s of SIGTERM").isTrue();
    return process.exitValue();
  }

  @Test
  void serveWhenFirstStartThenKeyBlockOnceThenOneUrlLineAndCleanStop(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("wif.db");
    Path stderr = dir.resolve("stderr.txt");
    Process first = launch(stderr, List.of(), "serve", "--port", "0", "--db", db.toString());
    String key;
    try {
      List<String> lines = linesUntilReady(first);
      String ready = lines.getLast();
      String url = ready.substring("OpenWIF listening on ".length());
      key =
          lines.stream()
              .map(String::strip)
              .filter(l -> l.startsWith("wifadm_"))
              .findFirst()
              .orElseThrow();

      assertThat(ready).matches("OpenWIF listening on http://127\\.0\\.0\\.1:\\d+");
      assertThat(lines)
          .contains("  database:      " + db + " (new: this start created it)")
          .contains("  dev mode:      off")
          .contains("  signing keys:  NOT encrypted at rest (set WIF_MASTER_KEY to encrypt them)")
          .contains(
              "  tls:           off: plain HTTP, a TLS-terminating proxy is expected in front (or"
                  + " give --tls-cert and --tls-key)");
      assertThat(lines.stream().filter(l -> l.startsWith("OpenWIF listening")).count())
          .isEqualTo(1);
      HttpResponse<String> projects =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/v1/organization/projects"))
                      .header("Authorization", "Bearer " + key)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(projects.statusCode()).isEqualTo(200);
    } finally {
      stop(first);
    }
    assertThat(Files.readString(stderr)).doesNotContain(key).doesNotContain("Exception");
    // text log lines carry the date: an ISO-8601 UTC timestamp first
    assertThat(Files.readAllLines(stderr))
        .isNotEmpty()
        .allMatch(
            l ->
                l.isEmpty() || l.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z .*"));

    Process second =
        launch(
            dir.resolve("stderr2.txt"), List.of(), "serve", "--port", "0", "--db", db.toString());
    try {
      List<String> lines = linesUntilReady(second);

      assertThat(lines).noneMatch(l -> l.strip().startsWith("wifadm_"));
      assertThat(lines).contains("  database:      " + db).noneMatch(l -> l.contains("ignored"));
      assertThat(lines.getLast()).startsWith("OpenWIF listening on http://127.0.0.1:");
    } finally {
      stop(second);
    }
  }

  @Test
  void serveWhenBootstrapKeyInEnvironmentThenNoKeyPrintedAndItWorks(@TempDir Path dir)
      throws Exception {
    String key = "automation-key-0123456789abcdef";
    Process process =
        launch(
            dir.resolve("stderr.txt"),
            List.of(ServeCommand.BOOTSTRAP_ENV, key),
            "serve",
            "--port",
            "0",
            "--db",
            dir.resolve("wif.db").toString());
    try {
      List<String> lines = linesUntilReady(process);
      String url = lines.getLast().substring("OpenWIF listening on ".length());

      assertThat(lines).noneMatch(l -> l.strip().startsWith("wifadm_"));
      HttpResponse<String> healthz =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
                  HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> projects =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/v1/organization/projects"))
                      .header("Authorization", "Bearer " + key)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(healthz.statusCode()).isEqualTo(200);
      assertThat(projects.statusCode()).isEqualTo(200);
    } finally {
      stop(process);
    }
  }

  @Test
  void serveWhenBootstrapKeyTooShortThenRefusedBeforeTheDatabaseIsCreated(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("wif.db");
    Path stderr = dir.resolve("stderr.txt");
    Process refused =
        launch(
            stderr,
            List.of(ServeCommand.BOOTSTRAP_ENV, "short"),
            "serve",
            "--port",
            "0",
            "--db",
            db.toString());

    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isEqualTo(2);
    assertThat(Files.readString(stderr).lines().toList())
        .containsExactly("wif: error: the bootstrap admin key must be at least 16 characters");
    assertThat(db).doesNotExist();
    assertThat(dir).isDirectoryNotContaining("glob:**wif.db*");
  }

  @Test
  void serveWhenBootstrapKeySetButDatabaseHasAdminKeysThenSummarySaysItIsIgnored(@TempDir Path dir)
      throws Exception {
    String db = dir.resolve("wif.db").toString();
    Process first =
        launch(
            dir.resolve("stderr.txt"),
            List.of(ServeCommand.BOOTSTRAP_ENV, "first-key-0123456789abcdef"),
            "serve",
            "--port",
            "0",
            "--db",
            db);
    try {
      assertThat(linesUntilReady(first)).noneMatch(l -> l.contains("ignored"));
    } finally {
      stop(first);
    }

    Process second =
        launch(
            dir.resolve("stderr2.txt"),
            List.of(ServeCommand.BOOTSTRAP_ENV, "another-key-0123456789abcdef"),
            "serve",
            "--port",
            "0",
            "--db",
            db);
    try {
      assertThat(linesUntilReady(second))
          .contains(
              "  admin keys:    WIF_BOOTSTRAP_ADMIN_KEY is ignored: this database already has"
                  + " admin keys (manage them with 'wif admin-keys')");
    } finally {
      stop(second);
    }
  }

  @Test
  void serveWhenMasterKeySetAfterKeysWereStoredThenTheyAreEncryptedAtStartAndTheSummarySaysSo(
      @TempDir Path dir) throws Exception {
    String db = dir.resolve("wif.db").toString();
    Process plain =
        launch(dir.resolve("stderr.txt"), List.of(), "serve", "--port", "0", "--db", db);
    try {
      assertThat(linesUntilReady(plain))
          .contains("  signing keys:  NOT encrypted at rest (set WIF_MASTER_KEY to encrypt them)");
    } finally {
      stop(plain);
    }

    Process withMasterKey =
        launch(
            dir.resolve("stderr2.txt"),
            List.of(
                ServeCommand.MASTER_KEY_ENV, "c2VydmVDb21tYW5kSVQgbWFzdGVyIGtleSAzMiBieXRlcyE="),
            "serve",
            "--port",
            "0",
            "--db",
            db);
    try {
      assertThat(linesUntilReady(withMasterKey))
          .as("the key stored in plain text before is encrypted at start")
          .contains("  signing keys:  encrypted at rest (WIF_MASTER_KEY is set)");
    } finally {
      stop(withMasterKey);
    }
  }

  @Test
  void serveWhenKeysEncryptedAndStartedWithoutMasterKeyThenSaysTheMasterKeyIsMissing(
      @TempDir Path dir) throws Exception {
    String db = dir.resolve("wif.db").toString();
    Process encrypted =
        launch(
            dir.resolve("stderr.txt"),
            List.of(
                ServeCommand.MASTER_KEY_ENV, "c2VydmVDb21tYW5kSVQgbWFzdGVyIGtleSAzMiBieXRlcyE="),
            "serve",
            "--dev",
            "--port",
            "0",
            "--db",
            db);
    try {
      assertThat(linesUntilReady(encrypted))
          .contains("  signing keys:  encrypted at rest (WIF_MASTER_KEY is set)")
          .contains(
              "  dev mode:      on (http:// and loopback issuers allowed; never in production)");
    } finally {
      stop(encrypted);
    }

    Path stderr = dir.resolve("stderr2.txt");
    ProcessBuilder noMasterKey =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR,
                "serve",
                "--port",
                "0",
                "--db",
                db)
            .redirectError(stderr.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    noMasterKey.environment().remove(ServeCommand.MASTER_KEY_ENV);
    Process refused = noMasterKey.start();

    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isEqualTo(1);
    assertThat(Files.readString(stderr))
        .contains(
            "wif: error: the signing keys in this database are encrypted (stored signing key ")
        .contains("start the server with WIF_MASTER_KEY set to the master key")
        .doesNotContain("Invalid JSON")
        .doesNotContain("\tat ");
  }

  /** The admin status route's body, with the admin key the first start printed. */
  private static String status(String url, String key) throws Exception {
    HttpResponse<String> status =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/v1/organization/status"))
                    .header("Authorization", "Bearer " + key)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(status.statusCode()).isEqualTo(200);
    return status.body();
  }

  @Test
  void serveWhenNativeCryptoSwitchInheritedThenSummaryAndStatusSayWhichIsInForce(@TempDir Path dir)
      throws Exception {
    boolean expected = TestCrypto.nativeWanted() && TestCrypto.nativeAvailableOnThisPlatform();
    Process server =
        launch(
            dir.resolve("stderr.txt"),
            List.of(ServeCommand.BOOTSTRAP_ENV, "crypto-admin-key-0123456789"),
            "serve",
            "--port",
            "0",
            "--db",
            dir.resolve("wif.db").toString());
    try {
      List<String> lines = linesUntilReady(server);
      String url = lines.getLast().substring(StartupSummary.LISTENING.length());

      if (expected) {
        assertThat(lines)
            .contains("  crypto:        native (Amazon Corretto Crypto Provider 2.5.0)");
        assertThat(status(url, "crypto-admin-key-0123456789"))
            .contains(
                "\"crypto\":{\"native\":true,\"provider\":\"Amazon Corretto Crypto Provider"
                    + " 2.5.0\",\"reason\":null}");
      } else {
        assertThat(lines).contains("  crypto:        JDK providers (native crypto switched off)");
        assertThat(status(url, "crypto-admin-key-0123456789"))
            .contains(
                "\"crypto\":{\"native\":false,\"provider\":\"JDK providers\","
                    + "\"reason\":\"native crypto switched off\"}");
      }
    } finally {
      stop(server);
    }
  }

  @Test
  void serveWhenNativeCryptoFlagOffThenJdkProvidersWhateverTheEnvironmentSays(@TempDir Path dir)
      throws Exception {
    Process server =
        launch(
            dir.resolve("stderr.txt"),
            List.of(TestCrypto.ENVIRONMENT, "on"),
            "serve",
            "--native-crypto",
            "off",
            "--port",
            "0",
            "--db",
            dir.resolve("wif.db").toString());
    try {
      assertThat(linesUntilReady(server))
          .contains("  crypto:        JDK providers (native crypto switched off)");
    } finally {
      stop(server);
    }
  }

  @Test
  void serveWhenNativeCryptoEnvironmentInvalidThenOneErrorLineAndNoDatabase(@TempDir Path dir)
      throws Exception {
    Path db = dir.resolve("wif.db");
    Path stderr = dir.resolve("stderr.txt");
    Process refused =
        launch(
            stderr,
            List.of(TestCrypto.ENVIRONMENT, "maybe"),
            "serve",
            "--port",
            "0",
            "--db",
            db.toString());

    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isEqualTo(2);
    assertThat(Files.readString(stderr).lines().toList())
        .containsExactly("wif: error: WIF_NATIVE_CRYPTO must be on or off (was 'maybe')");
    assertThat(db).doesNotExist();
  }

  @Test
  void serveWhenLogFormatJsonThenEveryStderrLineIsOneJsonObjectWithTheRequestId(@TempDir Path dir)
      throws Exception {
    Path stderr = dir.resolve("stderr.txt");
    Process process =
        launch(
            stderr,
            List.of("WIF_REQUEST_LOG_LEVEL", "INFO"),
            "serve",
            "--port",
            "0",
            "--db",
            dir.resolve("wif.db").toString(),
            "--log-format",
            "json");
    String url;
    try {
      String ready = linesUntilReady(process).getLast();
      url = ready.substring("OpenWIF listening on ".length());
      HttpClient http = HttpClient.newHttpClient();
      for (String path : List.of("/healthz", "/readyz", "/v1/organization/projects", "/nowhere")) {
        http.send(
            HttpRequest.newBuilder(URI.create(url + path))
                .header("X-Request-Id", "it-req-" + path.length())
                .build(),
            HttpResponse.BodyHandlers.ofString());
      }
    } finally {
      stop(process);
    }

    List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : lines) {
      JsonNode event = json.readTree(line);
      assertThat(event.isObject()).as("one JSON object: %s", line).isTrue();
      assertThat(event.get("timestamp").asText())
          .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
      assertThat(event.get("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(event.get("logger").asText()).isNotBlank();
      assertThat(event.has("message")).isTrue();
      events.add(event);
    }
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.get("logger").asText()).isEqualTo("openwif.requests");
              assertThat(e.get("message").asText())
                  .contains("route=/v1/organization/projects", "status=401");
              assertThat(e.get("request_id").asText()).isEqualTo("it-req-25");
            })
        .anySatisfy(
            e ->
                assertThat(e.get("message").asText())
                    .contains("route=unmatched", "status=404")
                    .doesNotContain("/nowhere"));
  }
}
