package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of {@code docs/operations.md}, run as written against real processes: the launcher
 * ({@code ./wif}, on the jar the build made), a running server, openssl, curl, jq and the
 * PostgreSQL tools against the local PostgreSQL. Every code block of the page is accounted for: run
 * by a test here (where a path or host of the example cannot be used here, the test replaces that
 * text and says so), or named in {@link #NOT_RUN_HERE} with the reason, or named in {@link
 * #NOT_COMMANDS} as what it is. A block added to the page without either fails {@link
 * #blocksWhenListedThenEachIsRunHereOrSaysWhyNot}.
 */
@Tag("deployment")
class OperationsDocIT {
  private static final Path CHECKOUT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path DOC = CHECKOUT.resolve("docs/operations.md");

  // The blocks run here, by the start of their first line.
  private static final String TLS = "openssl req -x509";
  private static final String ROUTES = "WIF_UPSTREAM_API_KEY=sk-... wif serve";
  private static final String ADMIN_KEYS = "./wif admin-keys create";
  private static final String SIGNING_KEYS = "./wif signing-keys list";
  private static final String BACKUP = "./wif backup";
  private static final String RESTORE = "./wif restore";
  private static final String PG_DUMP = "pg_dump ";
  private static final String PG_RESTORE = "createdb ";
  private static final String AUDIT_EXPORT = "./wif audit export";
  private static final List<String> RUN =
      List.of(
          TLS,
          ROUTES,
          ADMIN_KEYS,
          SIGNING_KEYS,
          BACKUP,
          RESTORE,
          PG_DUMP,
          PG_RESTORE,
          AUDIT_EXPORT);

  /** Command blocks this test does not run, by the start of their first line, and why. */
  static final Map<String, String> NOT_RUN_HERE =
      Map.of(
          "./wif image",
          "needs a container runtime (docker load, docker run), which this machine does not have;"
              + " mvn verify builds the same image tarball (module wif-image) and ContainerImageIT"
              + " checks its configuration and runs its layers through chroot",
          "export WIF_SERVER=",
          "needs a provider and a subject token of its issuer, which this page does not set up;"
              + " TokenExplainCommandIT runs wif token explain the same way (token on stdin,"
              + " --provider, --service-account, WIF_SERVER and WIF_ADMIN_KEY) against a real server");

  /** Blocks that are no command, by the start of their first line: what they are instead. */
  static final Map<String, String> NOT_COMMANDS =
      Map.of(
          "port: 8080", "an example of the YAML configuration file",
          "OpenWIF 0.1.0", "an example of the start-up summary",
          "postgresql://[user", "the syntax of a PostgreSQL URL",
          "{\"status\":\"ready\"", "an example of /readyz: its check names are compared below",
          "scrape_configs:", "a Prometheus scrape job",
          "location /wif/",
              "an nginx configuration for a public URL with a path; PublicUrlWithPathIT runs the"
                  + " same rules through a proxy of its own");

  @TempDir Path dir;

  record Block(int line, String language, String text) {
    String firstLine() {
      return text.lines().findFirst().orElse("");
    }

    boolean isShell() {
      return language.equals("bash") || language.equals("sh");
    }
  }

  record Run(int exit, String out) {}

  /** Every fenced code block of the page (also those indented in a list), without the indent. */
  static List<Block> blocks() throws IOException {
    List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    List<Block> blocks = new ArrayList<>();
    Pattern open = Pattern.compile("^( *)```(\\w*)$");
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = open.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      String indent = m.group(1);
      StringBuilder text = new StringBuilder();
      int j = i + 1;
      while (!lines.get(j).equals(indent + "```")) {
        String line = lines.get(j);
        text.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
        j++;
      }
      blocks.add(new Block(i + 1, m.group(2), text.toString()));
      i = j;
    }
    return blocks;
  }

  static Block block(String start) throws IOException {
    List<Block> matching = blocks().stream().filter(b -> b.firstLine().startsWith(start)).toList();
    assertThat(matching).as("blocks of operations.md starting with '%s'", start).hasSize(1);
    return matching.getFirst();
  }

  @Test
  void blocksWhenListedThenEachIsRunHereOrSaysWhyNot() throws IOException {
    List<Block> blocks = blocks();
    assertThat(blocks).hasSizeGreaterThan(10);
    List<String> known = new ArrayList<>(RUN);
    known.addAll(NOT_RUN_HERE.keySet());
    known.addAll(NOT_COMMANDS.keySet());
    for (Block b : blocks) {
      List<String> keys = known.stream().filter(k -> b.firstLine().startsWith(k)).toList();
      assertThat(keys)
          .as(
              "operations.md line %d: a block this test neither runs nor lists as not runnable"
                  + " here (with why): %s",
              b.line(), b.firstLine())
          .hasSize(1);
      if (NOT_COMMANDS.containsKey(keys.getFirst())) {
        assertThat(b.isShell())
            .as("line %d: a shell block listed as no command", b.line())
            .isFalse();
      } else {
        assertThat(b.isShell()).as("line %d: a command block not marked bash", b.line()).isTrue();
      }
    }
    for (String key : known) {
      assertThat(blocks)
          .as("a block starting with '%s'", key)
          .anyMatch(b -> b.firstLine().startsWith(key));
    }
    // a command outside a fence would escape this test: the page has none
    assertThat(Files.readString(DOC)).doesNotContainPattern("(?m)^ {4,}(\\./)?wif [a-z]");
  }

  @Test
  void sqliteWhenTheDocsCommandsRunBesideARunningServerThenEachDoesWhatThePageSays()
      throws Exception {
    launcherIn(dir);
    String masterKey =
        shell("openssl rand -base64 32", Map.of()).out().strip(); // the page's recipe
    Map<String, String> env = Map.of(ServeCommand.MASTER_KEY_ENV, masterKey);
    Process server = serve(env, "serve.out");
    try {
      String url = awaitListening(server, dir.resolve("serve.out"));
      assertReadyChecksAsThePageShows(url);

      Run adminKeys =
          runBlock(
              ADMIN_KEYS,
              Map.of(
                  "<id>",
                  "\"$(./wif admin-keys list --db ./data/wif.db | awk '$2 == \"ops\" {print $1}')\""),
              env);
      assertThat(adminKeys.out())
          .contains("Created admin key admin_key_", "(ops). Its secret is shown only this once:")
          .containsPattern("(?m)^admin_key_\\S+ +ops +wifadm_")
          .containsPattern("Revoked admin key admin_key_\\S+\\.");

      String oldKid = jwksKids(url).getFirst();
      Run signingKeys =
          runBlock(
              SIGNING_KEYS,
              Map.of(
                  "KID",
                  "\"$(./wif signing-keys list --db ./data/wif.db --json"
                      + " | jq -r '.[] | select(.state == \"verifying\") | .kid')\""),
              env);
      assertThat(signingKeys.out()).contains(oldKid, "Rotated. New active signing key: ");
      // the running server drops the retired key from its JWKS within its re-read interval
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (jwksKids(url).contains(oldKid) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(jwksKids(url)).hasSize(1).doesNotContain(oldKid);

      runBlock(AUDIT_EXPORT, Map.of(), env);
      Path audit = dir.resolve("audit.jsonl");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(audit)))
          .isEqualTo("rw-------");
      List<String> types =
          Files.readAllLines(audit).stream().map(l -> readJson(l).path("type").asText()).toList();
      assertThat(types)
          .contains(
              "admin_key.created",
              "admin_key.revoked",
              "signing_key.rotated",
              "signing_key.retired");

      // the page's /backups, here inside the test's directory
      Files.createDirectories(dir.resolve("backups"));
      runBlock(BACKUP, Map.of("\"/backups/", "\"backups/"), env);
      String backup = "backups/wif-" + today() + ".db";
      assertThat(dir.resolve(backup)).isRegularFile();
      shell("./wif admin-keys create --db ./data/wif.db --name after-backup", env);
    } finally {
      stop(server);
    }
    // "stop the server, then"
    runBlock(RESTORE, Map.of("/backups/wif-2026-12-06.db", "backups/wif-" + today() + ".db"), env);
    String keys = shell("./wif admin-keys list --db ./data/wif.db", env).out();
    assertThat(keys).contains(" ops ").doesNotContain("after-backup");
    // the restored database starts with the master key in force when the backup was taken
    Process again = serve(env, "serve-again.out");
    try {
      assertReadyChecksAsThePageShows(awaitListening(again, dir.resolve("serve-again.out")));
    } finally {
      stop(again);
    }
  }

  @Test
  void tlsWhenTheCertificateRecipeAndServerRunThenCurlTrustsIt() throws Exception {
    launcherIn(dir);
    int port = freePort();
    Run run = runBlock(TLS, Map.of("8443", Integer.toString(port)), Map.of());
    assertThat(run.out().strip()).endsWith("ok");
    assertThat(Files.readString(dir.resolve("serve.log")))
        .contains("OpenWIF listening on https://127.0.0.1:" + port);
  }

  @Test
  void routesWhenTheExampleStartsThenTheSummaryListsBothRoutes() throws Exception {
    launcherIn(dir);
    // no --port in the example: the default 8080 may be taken here, so the environment picks one
    Run run = runBlock(ROUTES, Map.of(), Map.of("WIF_PORT", Integer.toString(freePort())));
    assertThat(run.exit()).isZero();
    assertThat(Files.readString(dir.resolve("serve.log")))
        .contains("https://api.openai.com/v1", "llama-*", "qwen*", "http://127.0.0.1:8000/v1");
  }

  @Test
  void postgresWhenDumpedAndRestoredAsThePageSaysThenTheRestoredDatabaseHasTheKeys()
      throws Exception {
    launcherIn(dir);
    URI server =
        URI.create(
            System.getenv()
                .getOrDefault(
                    "WIF_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"));
    String user = server.getUserInfo() == null ? "postgres" : server.getUserInfo().split(":")[0];
    String host = server.getHost();
    int port = server.getPort() < 0 ? 5432 : server.getPort();
    String source = "wif_opsdoc_" + HexFormat.of().formatHex(randomBytes(6));
    String restored = source + "_restored";
    String base = "postgresql://" + user + "@" + host + ":" + port + "/";
    String pg = " -h " + host + " -p " + port + " -U " + user + " ";
    try {
      shell("createdb" + pg + source, Map.of());
      shell("./wif admin-keys create --db " + base + source + " --name ops", Map.of());

      // the page's db.internal and wif user are the local server and its user here
      runBlock(
          PG_DUMP, Map.of("postgresql://wif@db.internal/wif\"", base + source + "\""), Map.of());
      Map<String, String> restore = new LinkedHashMap<>();
      restore.put("-h db.internal -U postgres wif_restored", pg.strip() + " " + restored);
      restore.put("postgresql://wif@db.internal/wif_restored", base + restored);
      runBlock(PG_RESTORE, restore, Map.of());

      assertThat(shell("./wif admin-keys list --db " + base + restored, Map.of()).out())
          .containsPattern("(?m)^admin_key_\\S+ +ops +wifadm_");
    } finally {
      shell(
          "dropdb --if-exists" + pg + restored + " && dropdb --if-exists" + pg + source, Map.of());
    }
  }

  /** The date as the backup command's {@code $(date +%F)} writes it (the machine's time zone). */
  private String today() throws Exception {
    return shell("date +%F", Map.of()).out().strip();
  }

  // ---- running the page's blocks

  /**
   * Runs a block with bash in the test's directory, each {@code from} replaced by its {@code to}
   * (each must occur). A line that starts {@code wif serve} runs in the background until the block
   * ends ("in another terminal"), its output in {@code serve.log}, the next line once it listens.
   */
  private Run runBlock(String start, Map<String, String> replace, Map<String, String> env)
      throws Exception {
    String text = block(start).text();
    for (Map.Entry<String, String> r : replace.entrySet()) {
      assertThat(text).as("the block to change").contains(r.getKey());
      text = text.replace(r.getKey(), r.getValue());
    }
    StringBuilder script = new StringBuilder();
    script.append(
        """
        set -eo pipefail
        servers=()
        trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" || true; done' EXIT
        await_listening() {
          servers+=("$1")
          for _ in $(seq 900); do
            grep -q '^OpenWIF listening on' serve.log && return 0
            kill -0 "$1" 2>/dev/null || { cat serve.log; return 1; }
            sleep 0.1
          done
          cat serve.log; return 1
        }
        """);
    for (String line : text.replace("\\\n", "").lines().toList()) {
      if (line.matches("^(\\S+=\\S+ )*(\\./)?wif serve.*")) {
        script.append(line).append(" > serve.log 2>&1 &\nawait_listening $!\n");
      } else {
        script.append(line).append('\n');
      }
    }
    return shell(script.toString(), env);
  }

  /** Runs a bash script in the test's directory, the launcher first on the PATH. */
  private Run shell(String script, Map<String, String> env) throws Exception {
    Path file = Files.createTempFile(dir, "block", ".sh");
    Files.writeString(file, script);
    Path out = Files.createTempFile(dir, "block", ".out");
    ProcessBuilder builder =
        new ProcessBuilder("bash", file.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().putAll(env);
    builder.environment().put("PATH", dir + ":" + System.getenv("PATH"));
    Process p = builder.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("not done within 90 s:\n" + script + "\n" + Files.readString(out));
    }
    Run run = new Run(p.exitValue(), Files.readString(out));
    assertThat(run.exit()).as("exit code of%n%s%nwhich printed:%n%s", script, run.out()).isZero();
    return run;
  }

  /** {@code ./wif} and {@code wif} here: the checkout's launcher, on the jar the build made. */
  private static void launcherIn(Path dir) throws IOException {
    Path wif = dir.resolve("wif");
    Files.writeString(
        wif, "#!/usr/bin/env bash\nWIF_NO_BUILD=1 exec '" + CHECKOUT.resolve("wif") + "' \"$@\"\n");
    Files.setPosixFilePermissions(wif, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Process serve(Map<String, String> env, String output) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder("./wif", "serve", "--port", "0")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(output).toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static void stop(Process server) throws InterruptedException {
    server.destroy();
    if (!server.waitFor(20, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String awaitListening(Process server, Path out) throws Exception {
    Pattern listening = Pattern.compile("(?m)^OpenWIF listening on (http://\\S+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      Matcher m = listening.matcher(Files.readString(out));
      if (m.find()) {
        return m.group(1);
      }
      assertThat(server.isAlive())
          .as("server running; it printed:%n%s", Files.readString(out))
          .isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError("no 'OpenWIF listening on' within 90 s:\n" + Files.readString(out));
  }

  /** /readyz answers 200 with the checks the page's example shows, in its order. */
  private static void assertReadyChecksAsThePageShows(String url) throws Exception {
    HttpResponse<String> ready = get(url + "/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    List<String> shown = new ArrayList<>();
    readJson(block("{\"status\":\"ready\"").text())
        .path("checks")
        .forEach(c -> shown.add(c.path("name").asText()));
    List<String> live = new ArrayList<>();
    readJson(ready.body()).path("checks").forEach(c -> live.add(c.path("name").asText()));
    assertThat(live).isEqualTo(shown);
    assertThat(get(url + "/healthz").body()).isEqualTo("ok");
  }

  private static List<String> jwksKids(String url) throws Exception {
    List<String> kids = new ArrayList<>();
    readJson(get(url + "/.well-known/jwks.json").body())
        .path("keys")
        .forEach(k -> kids.add(k.path("kid").asText()));
    return kids;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static JsonNode readJson(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
