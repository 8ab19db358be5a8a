package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.openwif.cli.apply.ConfigSchemaTestAccess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration as code end to end, every part its own process from the packaged jar: the server
 * ({@code --dev}, SQLite), both emulators, and {@code wif apply}, {@code wif plan}, {@code wif
 * export} talking HTTP to the server. {@code examples/guide.yaml} (with the emulators' ephemeral
 * ports for 8081 and 8082) sets up the guide's two scenarios; then both exchanges succeed as in the
 * README, the plan is empty, export piped into plan is empty, a second apply changes nothing,
 * {@code --prune} deletes only managed objects, and a bad file is named by file, line and field.
 */
@Tag("deployment")
class ConfigAsCodeIT {
  private static final String AUDIENCE = "https://api.openai.com/v1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private String server = "";
  private String adminKey = "";

  record Run(int exit, String out, String err) {}

  @AfterEach
  void stopAll() throws Exception {
    for (Process p : processes) {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private Process start(String name, List<String> env, String... args) throws IOException {
    Process p = ServeCommandIT.launch(dir.resolve(name + ".err"), env, args);
    processes.add(p);
    return p;
  }

  private static String firstLine(Process process, String prefix) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.startsWith(prefix)) {
                    return line;
                  }
                }
                return "(exited)";
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .get(60, TimeUnit.SECONDS);
  }

  private static String url(String line) {
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:\\d+").matcher(line);
    assertThat(m.find()).as("a URL in: " + line).isTrue();
    return m.group();
  }

  /** Starts {@code wif ARGS} against the server, its output and errors going to files. */
  private Process startWif(Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(ServeCommandIT.JAR);
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("WIF_SERVER", server);
    builder.environment().put("WIF_ADMIN_KEY", adminKey);
    return builder.start();
  }

  /** Runs {@code wif ARGS} against the server, with {@code stdin}; bounded to 60 s. */
  private Run wif(String stdin, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = startWif(out, err, args);
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("wif " + String.join(" ", args)).isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * Runs {@code wif ARGS} and answers its confirmation prompt with {@code yes}, but only after
   * {@code meanwhile} has run (as another admin would, while the plan waits); bounded to 60 s.
   */
  private Run wifConfirmingAfter(Callable<?> meanwhile, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = startWif(out, err, args);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.readString(out).contains("Only 'yes' is accepted")) {
      assertThat(p.isAlive()).as("wif asked for confirmation: " + Files.readString(err)).isTrue();
      assertThat(System.nanoTime()).as("the confirmation prompt").isLessThan(deadline);
      Thread.sleep(20);
    }
    meanwhile.call();
    p.getOutputStream().write("yes\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("wif " + String.join(" ", args)).isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The id {@code wif apply} printed for {@code what}, for example {@code provider NAME}. */
  private static String idOf(String applyOutput, String what) {
    Matcher m =
        Pattern.compile("created " + Pattern.quote(what) + " \\(id ([^)]+)\\)")
            .matcher(applyOutput);
    assertThat(m.find()).as(what + " in:\n" + applyOutput).isTrue();
    return m.group(1);
  }

  /** The README's exchange, then a call to /v1/responses with the access token. */
  private String exchangeAndAsk(String subjectToken, String provider, String account, String input)
      throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", subjectToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt",
                "identity_provider_id", provider,
                "service_account_id", account));
    HttpResponse<String> exchanged =
        send(
            HttpRequest.newBuilder(URI.create(server + "/oauth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
    String accessToken = JSON.readTree(exchanged.body()).path("access_token").asText();
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(URI.create(server + "/v1/responses"))
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("model", "gpt-4.1-mini", "input", input)))));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body())
        .path("output")
        .path(0)
        .path("content")
        .path(0)
        .path("text")
        .asText();
  }

  @Test
  void applyGuideThenScenariosWorkPlanIsEmptyExportRoundTripsAndPruneDeletesOnlyManaged()
      throws Exception {
    Process gce = start("gce", List.of(), "emulate", "gce-metadata", "--port", "0");
    String gceUrl = url(firstLine(gce, "GCE metadata emulator ready"));
    Path tokenFile = dir.resolve("tokens/token");
    Process gke =
        start(
            "gke",
            List.of(),
            "emulate",
            "gke",
            "--port",
            "0",
            "--token-file",
            tokenFile.toString(),
            "--namespace",
            "default",
            "--service-account",
            "openai-wif",
            "--audience",
            AUDIENCE,
            "--expiration-seconds",
            "3600");
    String gkeUrl = url(firstLine(gke, "GKE issuer emulator ready"));
    adminKey = "sk-admin-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    Process serve =
        start(
            "serve",
            List.of(ServeCommand.BOOTSTRAP_ENV, adminKey),
            "serve",
            "--dev",
            "--port",
            "0",
            "--db",
            dir.resolve("wif.db").toString());
    server = url(firstLine(serve, "OpenWIF listening on "));

    String guide = Files.readString(Path.of("..", "examples", "guide.yaml"));
    assertThat(guide).contains("http://127.0.0.1:8081", "http://127.0.0.1:8082");
    Path file = dir.resolve("guide.yaml");
    Files.writeString(
        file,
        guide.replace("http://127.0.0.1:8081", gceUrl).replace("http://127.0.0.1:8082", gkeUrl));

    // 1. apply the guide's set-up
    Run applied = wif("", "apply", "-f", file.toString(), "--yes");
    assertThat(applied.exit()).as(applied.err()).isZero();
    assertThat(applied.out())
        .contains("Plan: 7 to create, 0 to change, 0 to delete.")
        .contains("Applied: 7 created, 0 changed, 0 deleted.");
    String computeProvider = idOf(applied.out(), "provider google-workload-identity-prod");
    String computeAccount =
        idOf(
            applied.out(),
            "service account openai-wif-demo / google-workload-identity-prod-openai-wif");
    String gkeProvider = idOf(applied.out(), "provider google-gke-prod");
    String gkeAccount =
        idOf(applied.out(), "service account openai-wif-demo / google-gke-prod-openai-wif");

    // 2. both scenarios' exchanges, as the README does them
    HttpResponse<String> identity =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        gceUrl
                            + "/computeMetadata/v1/instance/service-accounts/default/identity"
                            + "?format=full&audience="
                            + URLEncoder.encode(AUDIENCE, StandardCharsets.UTF_8)))
                .header("Metadata-Flavor", "Google"));
    assertThat(identity.statusCode()).isEqualTo(200);
    assertThat(
            exchangeAndAsk(
                identity.body(), computeProvider, computeAccount, "Say hello from Google Cloud."))
        .contains("Say hello from Google Cloud.");
    assertThat(
            exchangeAndAsk(
                Files.readString(tokenFile).strip(), gkeProvider, gkeAccount, "Say hello, GKE."))
        .contains("Say hello, GKE.");

    // 3. plan afterwards: no change; a second apply: no change
    Run plan = wif("", "plan", "-f", file.toString());
    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(plan.out()).isEqualTo("No changes: the server already matches " + file + ".\n");
    Run again = wif("", "apply", "-f", file.toString(), "--yes");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).startsWith("No changes").doesNotContain("created");

    // 4. export | plan -f -: no change; the export is valid against the published schema
    Run export = wif("", "export");
    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(ConfigSchemaTestAccess.errors(export.out())).isEmpty();
    Run exportPlan = wif(export.out(), "plan", "-f", "-");
    assertThat(exportPlan.out()).isEqualTo("No changes: the server already matches -.\n");

    // 5. an object made by hand is not managed: prune leaves it, and deletes only what the file
    // manages and no longer names
    HttpResponse<String> handMade =
        send(
            HttpRequest.newBuilder(
                    URI.create(server + "/v1/organization/workload_identity_providers"))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"hand-made\", \"issuer\": \""
                            + gkeUrl
                            + "\", \"audience\": \"x\"}")));
    assertThat(handMade.statusCode()).as(handMade.body()).isEqualTo(200);
    Path computeOnly = dir.resolve("compute-only.yaml");
    String text = Files.readString(file);
    Files.writeString(computeOnly, text.substring(0, text.indexOf("  # Scenario 2")));
    Run withoutPrune = wif("", "plan", "-f", computeOnly.toString());
    assertThat(withoutPrune.out()).startsWith("No changes");
    Run pruned = wif("", "apply", "-f", computeOnly.toString(), "--prune", "--yes");
    assertThat(pruned.exit()).as(pruned.err()).isZero();
    assertThat(pruned.out())
        .contains("deleted rule google-gke-prod / default-openai-wif")
        .contains("deleted provider google-gke-prod (id " + gkeProvider + ")")
        .contains("Applied: 0 created, 0 changed, 2 deleted.")
        .doesNotContain("hand-made");
    JsonNode after = new YAMLMapper().readTree(wif("", "export").out());
    assertThat(after.path("providers").findValuesAsText("name"))
        .contains("google-workload-identity-prod", "hand-made")
        .doesNotContain("google-gke-prod");
    assertThat(after.path("projects").path(0).path("service_accounts").size())
        .as("service accounts are never pruned")
        .isEqualTo(2);

    // 6. errors name the file, the line and the field: the reader's and the server's
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, text.replace("    audience: https", "    audeince: https"));
    Run refused = wif("", "plan", "-f", typo.toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err())
        .startsWith("wif: error: " + typo + ":20: field providers[0].audeince: unknown field");
    Path badCel = dir.resolve("bad-cel.yaml");
    Files.writeString(
        badCel, text.replace("expression: assertion.sub\n", "expression: assertion.sub +\n"));
    Run celRefused = wif("", "apply", "-f", badCel.toString(), "--yes");
    assertThat(celRefused.exit()).as("the server refused: exit 1").isEqualTo(1);
    assertThat(celRefused.err())
        .startsWith(
            "wif: error: "
                + badCel
                + ":25: field providers[0].attribute_transformations[0].expression: updating"
                + " provider google-workload-identity-prod was refused: ");

    // 7. another admin changes the provider while the plan waits for 'yes': apply refuses to
    // overwrite it (the object is read again and written with If-Match); a new apply then plans
    // against the server as it is and converges
    Path described = dir.resolve("described.yaml");
    Files.writeString(
        described,
        Files.readString(computeOnly)
            .replace(
                "description: Production Google Cloud workloads",
                "description: Production Google Cloud workloads (reviewed)"));
    URI providerUrl =
        URI.create(server + "/v1/organization/workload_identity_providers/" + computeProvider);
    Run raced =
        wifConfirmingAfter(
            () -> {
              HttpResponse<String> byHand =
                  send(
                      HttpRequest.newBuilder(providerUrl)
                          .header("Authorization", "Bearer " + adminKey)
                          .header("Content-Type", "application/json")
                          .POST(
                              HttpRequest.BodyPublishers.ofString(
                                  "{\"audience\": \"https://api.openai.com/v1/other\"}")));
              assertThat(byHand.statusCode()).as(byHand.body()).isEqualTo(200);
              return byHand;
            },
            "apply",
            "-f",
            described.toString());
    assertThat(raced.out()).contains("Plan: 0 to create, 1 to change, 0 to delete.");
    assertThat(raced.exit()).as(raced.out()).isEqualTo(1);
    assertThat(raced.err())
        .startsWith(
            "wif: error: updating provider google-workload-identity-prod was refused: it changed"
                + " on the server since the plan was made");
    JsonNode kept =
        JSON.readTree(
            send(HttpRequest.newBuilder(providerUrl).header("Authorization", "Bearer " + adminKey))
                .body());
    assertThat(kept.path("audience").asText()).isEqualTo("https://api.openai.com/v1/other");
    assertThat(kept.path("description").asText())
        .startsWith("Production Google Cloud workloads")
        .doesNotContain("reviewed");
    Run converged = wif("", "apply", "-f", described.toString(), "--yes");
    assertThat(converged.exit()).as(converged.err()).isZero();
    assertThat(converged.out())
        .contains("audience")
        .contains("description")
        .contains("Applied: 0 created, 1 changed, 0 deleted.");

    // 8. the same when the object is deleted while the plan waits: refused, named as deleted; the
    // next apply creates it again
    Path ruleDescribed = dir.resolve("rule-described.yaml");
    Files.writeString(
        ruleDescribed,
        Files.readString(described)
            .replace(
                "description: Production Compute Engine OpenAI API workload",
                "description: Production Compute Engine OpenAI API workload (reviewed)"));
    String rulesUrl =
        server
            + "/v1/organization/workload_identity_providers/"
            + computeProvider
            + "/federation_rules";
    Run deletedMeanwhile =
        wifConfirmingAfter(
            () -> {
              JsonNode rules =
                  JSON.readTree(
                      send(HttpRequest.newBuilder(URI.create(rulesUrl))
                              .header("Authorization", "Bearer " + adminKey))
                          .body());
              String ruleId = rules.path("data").path(0).path("id").asText();
              HttpResponse<String> deleted =
                  send(
                      HttpRequest.newBuilder(URI.create(rulesUrl + "/" + ruleId))
                          .header("Authorization", "Bearer " + adminKey)
                          .DELETE());
              assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
              return deleted;
            },
            "apply",
            "-f",
            ruleDescribed.toString());
    assertThat(deletedMeanwhile.exit()).as(deletedMeanwhile.out()).isEqualTo(1);
    assertThat(deletedMeanwhile.err())
        .startsWith(
            "wif: error: updating rule google-workload-identity-prod / compute-openai-wif was"
                + " refused: it was deleted on the server since the plan was made");
    Run recreated = wif("", "apply", "-f", ruleDescribed.toString(), "--yes");
    assertThat(recreated.exit()).as(recreated.err()).isZero();
    assertThat(recreated.out()).contains("Applied: 1 created, 0 changed, 0 deleted.");
  }
}
