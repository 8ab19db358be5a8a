package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.nimbusds.jose.jwk.JWKSet;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.AdminConnection;
import dev.openwif.cli.apply.AdminCalls;
import dev.openwif.server.ServerConfig;
import dev.openwif.server.WifServer;
import dev.openwif.server.tls.TlsFiles;
import dev.openwif.testkit.OpenSsl;
import dev.openwif.testkit.TestKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The remote admin commands ({@code wif projects|service-accounts|providers|rules|audit}) against a
 * real server on port 0 over real HTTP, with a temporary SQLite database: each resource's round
 * trip, the output formats, the exit codes and their one-line errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteAdminCommandsIT {
  static final String KEY = "wifadm_cli_test_0123456789abcdefghijkl";
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  Path dir;
  WifServer server;
  Map<String, String> env;

  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }
  }

  @BeforeAll
  void start(@TempDir Path tempDir) {
    dir = tempDir;
    server =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(dir.resolve("wif.db").toString())
                .withBootstrapAdminKey(KEY));
    env = Map.of(AdminConnection.SERVER_ENV, server.baseUrl(), AdminConnection.ADMIN_KEY_ENV, KEY);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  static Run run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = WifCommand.commandLine(environment);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  Run wif(String... args) {
    return run(env, args);
  }

  /** Runs a command that must succeed, with -o json, and returns its JSON. */
  JsonNode ok(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "-o";
    all[args.length + 1] = "json";
    Run run = wif(all);
    assertThat(run.exit()).as(String.join(" ", args) + ": " + run.err()).isZero();
    return run.json();
  }

  String project(String name) {
    return ok("projects", "create", "--name", name).get("id").asText();
  }

  String account(String project, String name) {
    return ok("service-accounts", "create", "--project", project, "--name", name)
        .get("id")
        .asText();
  }

  Path jwks() throws Exception {
    Path file = dir.resolve("jwks.json");
    if (!Files.exists(file)) {
      Files.writeString(file, new JWKSet(TestKeys.ec256("k1").toPublicJWK()).toString());
    }
    return file;
  }

  String provider(String name) throws Exception {
    return ok(
            "providers",
            "create",
            "--name",
            name,
            "--issuer",
            "https://accounts.google.com",
            "--audience",
            "https://wif.example.com",
            "--jwks-file",
            jwks().toString())
        .get("id")
        .asText();
  }

  // ---- projects ----

  @Test
  void projectsWhenCreateGetUpdateListArchiveThenEachAnswersFromTheServer() {
    JsonNode created = ok("projects", "create", "--name", "platform");
    String id = created.get("id").asText();

    assertThat(created.get("object").asText()).isEqualTo("organization.project");
    assertThat(ok("projects", "get", id).get("name").asText()).isEqualTo("platform");
    assertThat(ok("projects", "update", id, "--name", "platform-2").get("name").asText())
        .isEqualTo("platform-2");
    assertThat(ok("projects", "list", "--limit", "100").get("data"))
        .anyMatch(p -> p.get("id").asText().equals(id));
    JsonNode archived = ok("projects", "archive", id);
    assertThat(archived.get("status").asText()).isEqualTo("archived");
    assertThat(ok("projects", "list", "--limit", "100").get("data"))
        .noneMatch(p -> p.get("id").asText().equals(id));
    assertThat(ok("projects", "list", "--limit", "100", "--include-archived").get("data"))
        .anyMatch(p -> p.get("id").asText().equals(id));
  }

  @Test
  void projectsListWhenTableThenAlignedColumnsUnderAHeading() {
    String id = project("a-rather-long-project-name");
    Run run = wif("projects", "list", "--limit", "100");

    assertThat(run.exit()).isZero();
    List<String> lines = run.out().lines().toList();
    String heading = lines.getFirst();
    assertThat(heading).startsWith("ID").contains("NAME").contains("STATUS").contains("CREATED");
    String row = lines.stream().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
    assertThat(row.indexOf("a-rather-long-project-name")).isEqualTo(heading.indexOf("NAME"));
    assertThat(row.indexOf("active")).isEqualTo(heading.indexOf("STATUS"));
    assertThat(row).matches(".*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$");
  }

  @Test
  void getWhenTableThenOneFieldPerLineAndYamlIsTheSameTree() throws Exception {
    String id = project("shown");
    Run table = wif("projects", "get", id);
    Run yaml = wif("projects", "get", id, "-o", "yaml");

    assertThat(table.out().lines().toList())
        .contains("object       organization.project", "name         shown", "archived_at  -");
    assertThat(YAML.readTree(yaml.out())).isEqualTo(ok("projects", "get", id));
  }

  @Test
  void createWhenBodyFileThenItsFieldsSentAndOptionsOverrideThem() throws Exception {
    Path yaml = dir.resolve("project.yaml");
    Files.writeString(yaml, "name: from-file\n");
    Path json = dir.resolve("project.json");
    Files.writeString(json, "{\"name\": \"from-json\"}");

    assertThat(ok("projects", "create", "-f", yaml.toString()).get("name").asText())
        .isEqualTo("from-file");
    assertThat(ok("projects", "create", "-f", json.toString()).get("name").asText())
        .isEqualTo("from-json");
    assertThat(
            ok("projects", "create", "-f", yaml.toString(), "--name", "flag").get("name").asText())
        .isEqualTo("flag");
  }

  @Test
  void createWhenBodyFileBrokenThenExit2NamingTheFile() throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"name\": ");
    Run run = wif("projects", "create", "-f", broken.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("wif: error: -f " + broken + ": not valid JSON");
    assertThat(run.err().lines()).hasSize(1);
  }

  // ---- service accounts ----

  @Test
  void serviceAccountsWhenCreateGetUpdateListDeleteThenRoundTrip() {
    String project = project("accounts");
    JsonNode created =
        ok(
            "service-accounts",
            "create",
            "--project",
            project,
            "--name",
            "runner",
            "--max-requests-per-minute",
            "60");
    String id = created.get("id").asText();

    assertThat(created.get("api_key").isNull()).isTrue();
    assertThat(created.at("/rate_limits/max_requests_per_1_minute").asLong()).isEqualTo(60);
    assertThat(ok("service-accounts", "get", "--project", project, id).get("name").asText())
        .isEqualTo("runner");
    JsonNode updated =
        ok(
            "service-accounts",
            "update",
            "--project",
            project,
            id,
            "--max-tokens-per-minute",
            "1000");
    assertThat(updated.at("/rate_limits/max_tokens_per_1_minute").asLong()).isEqualTo(1000);
    assertThat(updated.at("/rate_limits/max_requests_per_1_minute").asLong()).isEqualTo(60);
    JsonNode cleared =
        ok("service-accounts", "update", "--project", project, id, "--clear-rate-limits");
    assertThat(cleared.at("/rate_limits/max_requests_per_1_minute").isNull()).isTrue();
    Run table = wif("service-accounts", "list", "--project", project);
    assertThat(table.out()).contains("REQUESTS/MIN").contains(id).contains("runner");

    JsonNode deleted = ok("service-accounts", "delete", "--project", project, id);
    assertThat(deleted.get("deleted").asBoolean()).isTrue();
    Run gone = wif("service-accounts", "get", "--project", project, id);
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.out()).isEmpty();
    assertThat(gone.err()).startsWith("wif: error: ").contains("(HTTP 404)");
    assertThat(gone.err().lines()).hasSize(1);
  }

  @Test
  void serviceAccountsWhenProjectMissingThenUsageErrorExit2() {
    Run run = wif("service-accounts", "list");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("wif: error: Missing required option: '--project=ID'");
  }

  // ---- providers ----

  @Test
  void providersWhenCreateGetUpdateDisableEnableDeleteThenRoundTrip() throws Exception {
    JsonNode created =
        ok(
            "providers",
            "create",
            "--name",
            "gce",
            "--description",
            "GCE workers",
            "--issuer",
            "https://accounts.google.com",
            "--audience",
            "https://wif.example.com",
            "--attribute-transformation",
            "project=assertion.google.compute_engine.project_id",
            "--jwks-file",
            jwks().toString(),
            "--replay-protection");
    String id = created.get("id").asText();

    assertThat(created.get("enabled").asBoolean()).isTrue();
    assertThat(created.get("replay_protection").asBoolean()).isTrue();
    assertThat(created.at("/verification/type").asText()).isEqualTo("uploaded_jwks");
    assertThat(created.at("/attribute_transformations/0/attribute").asText()).isEqualTo("project");
    assertThat(ok("providers", "get", id).get("description").asText()).isEqualTo("GCE workers");
    JsonNode updated = ok("providers", "update", id, "--audience", "https://other.example.com");
    assertThat(updated.get("audience").asText()).isEqualTo("https://other.example.com");
    assertThat(updated.get("description").asText()).as("unchanged").isEqualTo("GCE workers");
    assertThat(ok("providers", "disable", id).get("enabled").asBoolean()).isFalse();
    assertThat(ok("providers", "get", id).get("enabled").asBoolean()).isFalse();
    assertThat(ok("providers", "enable", id).get("enabled").asBoolean()).isTrue();
    Run table = wif("providers", "list", "--limit", "100");
    assertThat(table.out()).contains("ISSUER").contains(id).contains("uploaded_jwks");

    assertThat(ok("providers", "delete", id).get("deleted").asBoolean()).isTrue();
    assertThat(wif("providers", "get", id).exit()).isEqualTo(1);
  }

  @Test
  void applyCallsWhenIfMatchIsTheCurrentTagThenWrittenAndWhenStaleThenRefusedAsChangedMeanwhile()
      throws Exception {
    String id = provider("if-match");
    String path = "/workload_identity_providers/" + id;
    AdminCalls calls = ConfigAsCodeCommand.calls(new AdminApiClient(server.baseUrl(), KEY));
    AdminCalls.Read first = calls.read(path);
    assertThat(first.etag()).isPresent();

    calls.post(path, JSON.readTree("{\"description\": \"one\"}"), first.etag());
    AdminCalls.Read second = calls.read(path);
    assertThat(second.body().path("description").asText()).isEqualTo("one");
    assertThat(second.etag()).isPresent().isNotEqualTo(first.etag());

    RuntimeException stale =
        catchRuntimeException(
            () -> calls.post(path, JSON.readTree("{\"description\": \"two\"}"), first.etag()));
    assertThat(calls.changedMeanwhile(stale)).as(String.valueOf(stale)).isTrue();
    RuntimeException staleDelete = catchRuntimeException(() -> calls.delete(path, first.etag()));
    assertThat(calls.changedMeanwhile(staleDelete)).isTrue();
    assertThat(calls.read(path)).isEqualTo(second);
  }

  @Test
  void providersCreateWhenServerRefusesThenExit1WithItsMessageOnOneLine() {
    Run run =
        wif(
            "providers",
            "create",
            "--name",
            "bad",
            "--issuer",
            "not a url",
            "--audience",
            "https://wif.example.com");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("wif: error: ").contains("issuer").contains("(HTTP 400)");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void providersUpdateWhenNothingGivenThenExit2() {
    Run run = wif("providers", "update", "wip_000000000000000000000000");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("wif: error: nothing to change: give a field option or -f FILE\n");
  }

  // ---- rules ----

  @Test
  void rulesWhenCreateGetUpdateDisableEnableListDeleteThenRoundTrip() throws Exception {
    String project = project("rules");
    String account = account(project, "ci");
    String provider = provider("rules-provider");
    JsonNode created =
        ok(
            "rules",
            "create",
            "--provider",
            provider,
            "--name",
            "ci-main",
            "--project",
            project,
            "--service-account",
            account,
            "--match",
            "sub=repo:acme/app:ref:refs/heads/main",
            "--scope",
            "api.model.request");
    String id = created.get("id").asText();

    assertThat(created.at("/attribute_matchers/sub").asText())
        .isEqualTo("repo:acme/app:ref:refs/heads/main");
    assertThat(created.at("/permissions/type").asText()).isEqualTo("restricted");
    assertThat(created.at("/permissions/scopes/0").asText()).isEqualTo("api.model.request");
    assertThat(ok("rules", "get", "--provider", provider, id).get("name").asText())
        .isEqualTo("ci-main");
    JsonNode updated = ok("rules", "update", "--provider", provider, id, "--default-permissions");
    assertThat(updated.at("/permissions/type").asText()).isEqualTo("service_account_default");
    assertThat(ok("rules", "disable", "--provider", provider, id).get("enabled").asBoolean())
        .isFalse();
    assertThat(ok("rules", "enable", "--provider", provider, id).get("enabled").asBoolean())
        .isTrue();
    assertThat(
            ok("rules", "list", "--provider", provider, "--service-account", account).get("data"))
        .singleElement()
        .satisfies(r -> assertThat(r.get("id").asText()).isEqualTo(id));

    Run refused = wif("providers", "delete", provider);
    assertThat(refused.exit()).as("a provider with rules").isEqualTo(1);
    assertThat(refused.err()).startsWith("wif: error: ").contains("(HTTP 409)");

    assertThat(ok("rules", "delete", "--provider", provider, id).get("deleted").asBoolean())
        .isTrue();
    assertThat(ok("providers", "delete", provider).get("deleted").asBoolean()).isTrue();
  }

  @Test
  void rulesCreateWhenYamlBodyThenTypedMatchersKeptAndFlagsAdded() throws Exception {
    String project = project("typed");
    String account = account(project, "typed");
    String provider = provider("typed-provider");
    Path body = dir.resolve("rule.yaml");
    Files.writeString(
        body,
        "name: typed\n"
            + "attribute_matchers:\n"
            + "  email_verified: true\n"
            + "  email: ci@example.com\n"
            + "project_id: "
            + project
            + "\n");
    JsonNode created =
        ok(
            "rules",
            "create",
            "--provider",
            provider,
            "-f",
            body.toString(),
            "--service-account",
            account,
            "--disabled");

    assertThat(created.at("/attribute_matchers/email_verified").isBoolean()).isTrue();
    assertThat(created.get("enabled").asBoolean()).isFalse();
    assertThat(created.get("service_account_id").asText()).isEqualTo(account);
  }

  // ---- connection and key ----

  @Test
  void anyCommandWhenNoAdminKeyThenExit2SayingHowToGiveOne() {
    Run run = run(Map.of(AdminConnection.SERVER_ENV, server.baseUrl()), "projects", "list");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "wif: error: no admin key: set WIF_ADMIN_KEY or give --admin-key-file FILE (wif"
                + " admin-keys create makes one)\n");
  }

  @Test
  void anyCommandWhenNoServerThenExit2() {
    Run run = run(Map.of(AdminConnection.ADMIN_KEY_ENV, KEY), "projects", "list");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("wif: error: no server: give --server URL or set WIF_SERVER\n");
  }

  @Test
  void anyCommandWhenKeyFileAndServerFlagThenUsed() throws Exception {
    Path keyFile = dir.resolve("admin.key");
    Files.writeString(keyFile, KEY + "\n");
    Run run =
        run(
            Map.of(),
            "projects",
            "list",
            "--server",
            server.baseUrl(),
            "--admin-key-file",
            keyFile.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("ID");
  }

  @Test
  void anyCommandWhenKeyInBothEnvironmentAndFileThenExit2() throws Exception {
    Path keyFile = dir.resolve("both.key");
    Files.writeString(keyFile, KEY);
    Run run = wif("projects", "list", "--admin-key-file", keyFile.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("wif: error: WIF_ADMIN_KEY and --admin-key-file are both set; give only one\n");
  }

  @Test
  void anyCommandWhenWrongKeyThenExit1WithTheServersMessage() {
    Map<String, String> wrong = new HashMap<>(env);
    wrong.put(AdminConnection.ADMIN_KEY_ENV, "wifadm_wrong_0123456789abcdefghijklmno");
    Run run = run(wrong, "projects", "list");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "wif: error: Invalid admin key. Send it as 'Authorization: Bearer <admin key>'."
                + " (HTTP 401)\n");
    assertThat(run.err()).doesNotContain("wifadm_wrong");
  }

  @Test
  void anyCommandWhenServerDownThenExit3WithOneLine() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Run run = wif("projects", "list", "--server", "http://127.0.0.1:" + port);

    assertThat(run.exit()).isEqualTo(RemoteAdminCommand.UNREACHABLE);
    assertThat(run.err())
        .startsWith("wif: error: cannot reach http://127.0.0.1:" + port + ": ")
        .containsIgnoringCase("connection refused");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void anyCommandWhenSelfSignedTlsServerThenReachedWithCacertOnlyAndExit3Without()
      throws Exception {
    OpenSsl.Pair pair = OpenSsl.selfSignedRsa(dir, "admin-tls");
    try (WifServer tls =
        WifServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDbSpec(dir.resolve("tls.db").toString())
                .withBootstrapAdminKey(KEY)
                .withTls(new TlsFiles(pair.certificate(), pair.key())))) {
      assertThat(tls.baseUrl()).startsWith("https://127.0.0.1:");

      Run trusted =
          wif(
              "projects",
              "create",
              "--name",
              "over-tls",
              "--server",
              tls.baseUrl(),
              "--cacert",
              pair.certificate().toString());
      Run untrusted = wif("projects", "list", "--server", tls.baseUrl());

      assertThat(trusted.exit()).as(trusted.err()).isZero();
      assertThat(trusted.out()).contains("over-tls");
      assertThat(untrusted.exit()).isEqualTo(RemoteAdminCommand.UNREACHABLE);
      assertThat(untrusted.err()).startsWith("wif: error: ").contains("--cacert");
      assertThat(untrusted.err().lines()).hasSize(1);
    }
  }

  @Test
  void anyCommandWhenCacertMissingThenExit2NamingTheFile() {
    Path missing = dir.resolve("no-such-ca.pem");
    Run run = wif("projects", "list", "--cacert", missing.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("wif: error: --cacert " + missing + ": no such file\n");
  }

  @Test
  void anyCommandWhenPlainHttpToAnotherMachineThenRefusedBeforeSendingTheKey() {
    Run run = wif("projects", "list", "--server", "http://192.0.2.1:8080");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("clear text").contains("use https");
  }

  @Test
  void groupWhenNoSubcommandThenUsageExit2() {
    for (String group : List.of("projects", "service-accounts", "providers", "rules")) {
      Run run = wif(group);

      assertThat(run.exit()).as(group).isEqualTo(2);
      assertThat(run.err()).as(group).startsWith("Usage: wif " + group + " ");
    }
  }

  // ---- audit ----

  @Test
  void auditListWhenChangesMadeThenTheyAreListedNewestFirst() {
    String id = project("audited");
    Run table = wif("audit", "list", "--type", "project.created", "--limit", "100");
    JsonNode json = ok("audit", "list", "--type", "project.created", "--limit", "100");

    assertThat(table.exit()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow())
        .startsWith("TIME")
        .contains("TYPE", "ACTOR", "DETAIL", "ID");
    assertThat(table.out()).contains("project.created").contains(id);
    assertThat(json.get("object").asText()).isEqualTo("list");
    assertThat(json.get("data")).allMatch(e -> e.get("type").asText().equals("project.created"));
  }

  @Test
  void auditTailWhenNThenTheLastEventsOldestFirst() {
    String first = project("tail-1");
    String second = project("tail-2");
    Run run = wif("audit", "tail", "-n", "2", "--type", "project.created", "-o", "json");

    assertThat(run.exit()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains(first);
    assertThat(lines.get(1)).contains(second);
  }

  @Test
  void auditTailWhenFollowThenNewEventsShownOnceAndStopsAfterTheBound() throws Exception {
    project("before-follow");
    CompletableFuture<Run> follow =
        CompletableFuture.supplyAsync(
            () ->
                wif(
                    "audit",
                    "tail",
                    "-n",
                    "1",
                    "--type",
                    "project.created",
                    "--follow",
                    "--follow-for",
                    "5s",
                    "--interval",
                    "1",
                    "-o",
                    "json"));
    Thread.sleep(1500);
    String during1 = project("during-follow-1");
    String during2 = project("during-follow-2");
    Run run = follow.get(20, TimeUnit.SECONDS);

    assertThat(run.exit()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).filteredOn(l -> l.contains(during1)).hasSize(1);
    assertThat(lines).filteredOn(l -> l.contains(during2)).hasSize(1);
    assertThat(lines.indexOf(lines.stream().filter(l -> l.contains(during1)).findFirst().get()))
        .isLessThan(
            lines.indexOf(lines.stream().filter(l -> l.contains(during2)).findFirst().get()));
    for (String line : lines) {
      assertThat(JSON.readTree(line).get("type").asText()).isEqualTo("project.created");
    }
  }

  @Test
  void auditTailWhenFollowForWithoutFollowThenExit2() {
    Run run = wif("audit", "tail", "--follow-for", "5s");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("wif: error: --follow-for needs --follow\n");
  }

  @Test
  void auditExportWhenStillThereThenWorksOfflineOnTheDatabase() {
    project("exported");
    Run run = run(Map.of(), "audit", "export", "--db", dir.resolve("wif.db").toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"type\":\"project.created\"");
  }
}
