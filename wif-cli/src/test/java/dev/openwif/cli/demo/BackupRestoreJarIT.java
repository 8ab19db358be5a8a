package dev.openwif.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.SubjectTokenType;
import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.emulator.EmulatorSigningKey;
import dev.openwif.emulator.gce.GceMetadataEmulator;
import dev.openwif.emulator.gke.GkeIssuerEmulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wif backup} of a live database, then {@code wif restore} into a new one, then a new {@code
 * wif serve} process on the restored database answers a token exchange of a real emulator token
 * with the providers, rules, admin key and (encrypted) signing key the first server was given. All
 * through the packaged jar, in separate processes; the emulators run here. (It sits beside the
 * guide's setup, which it reuses to configure the first server.)
 */
class BackupRestoreJarIT {
  private static final String JAR = Path.of("target", "wif.jar").toAbsolutePath().toString();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_KEY = "backup-it-admin-key-0123456789";
  private static final String MASTER_KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

  @TempDir Path dir;

  private Process wif(Path stderr, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("WIF_"));
    builder.environment().put("WIF_MASTER_KEY", MASTER_KEY);
    builder.environment().put("WIF_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY);
    return builder.start();
  }

  /** Runs a short command to its end (bounded: 60 s): exit code and standard error. */
  private Result run(String... args) throws Exception {
    Path stderr = Files.createTempFile(dir, "stderr", ".txt");
    Process process = wif(stderr, args);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.exitValue(), out, Files.readString(stderr));
  }

  record Result(int exit, String out, String err) {}

  /** Starts {@code wif serve} and returns it with its URL, once it listens (bounded: 60 s). */
  private Server serve(Path db) throws Exception {
    Process process =
        wif(
            Files.createTempFile(dir, "serve", ".txt"),
            "serve",
            "--dev",
            "--port",
            "0",
            "--db",
            db.toString());
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String url =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line; (line = out.readLine()) != null; ) {
                      if (line.startsWith("OpenWIF listening on ")) {
                        return line.substring("OpenWIF listening on ".length());
                      }
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                  throw new IllegalStateException("wif serve ended before listening");
                })
            .get(60, TimeUnit.SECONDS);
    return new Server(process, url);
  }

  record Server(Process process, String url) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping wif serve", e);
      }
    }
  }

  private static String exchange(String url, GuideSetup.Target target, String subjectToken) {
    return WorkloadIdentityCredentials.builder()
        .identityProviderId(target.providerId())
        .serviceAccountId(target.serviceAccountId())
        .provider(SubjectTokenProvider.of(SubjectTokenType.JWT, "emulator", () -> subjectToken))
        .tokenUrl(url + "/oauth/token")
        .build()
        .accessToken();
  }

  @Test
  void backupThenRestoreWhenServerWasConfiguredThenANewServerOnTheRestoredDatabaseExchanges()
      throws Exception {
    Path live = dir.resolve("live/wif.db");
    Path backup = dir.resolve("backups/wif-backup.db");
    Path restored = dir.resolve("restored/wif.db");
    try (GceMetadataEmulator metadata =
            GceMetadataEmulator.builder().host("127.0.0.1").port(0).start();
        GkeIssuerEmulator cluster =
            GkeIssuerEmulator.builder()
                .host("127.0.0.1")
                .port(0)
                .signingKey(
                    EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.BASE64URL_SHA256))
                .audience(DemoStack.AUDIENCE)
                .tokenFile(dir.resolve("token"))
                .start()) {
      String subjectToken = metadata.identityToken(DemoStack.AUDIENCE, true);
      ObjectNode claims = OpenAiSdkScenariosIT.payload(subjectToken);
      GuideSetup.Target compute;
      try (Server first = serve(live)) {
        compute =
            new GuideSetup(
                    new AdminClient(first.url(), ADMIN_KEY, HttpClient.newHttpClient(), JSON),
                    new DemoConsole(new PrintWriter(new StringWriter()), JSON),
                    JSON)
                .configure(
                    metadata.issuer(),
                    Map.of(
                        "sub", claims.get("sub").asText(), "email", claims.get("email").asText()),
                    cluster.issuer())
                .compute();
        assertThat(exchange(first.url(), compute, subjectToken)).isNotBlank();

        Result backedUp = run("backup", "--db", live.toString(), "--out", backup.toString());
        assertThat(backedUp.exit()).as(backedUp.err()).isZero();
        assertThat(backedUp.out()).isEqualTo("Backed up " + live + " to " + backup + "\n");
      }

      Result restore = run("restore", "--from", backup.toString(), "--db", restored.toString());
      assertThat(restore.exit()).as(restore.err()).isZero();
      Result again = run("restore", "--from", backup.toString(), "--db", restored.toString());
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err())
          .isEqualTo(
              "wif: error: "
                  + restored
                  + " already exists: give --force to replace it (stop the server first)\n");

      try (Server second = serve(restored)) {
        assertThat(
                exchange(second.url(), compute, metadata.identityToken(DemoStack.AUDIENCE, true)))
            .isNotBlank();
        assertThat(
                new AdminClient(second.url(), ADMIN_KEY, HttpClient.newHttpClient(), JSON)
                    .get("/workload_identity_providers")
                    .path("data"))
            .hasSize(2);
      }
    }
  }
}
