package dev.openwif.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tarball the build made ({@code target/openwif-image.tar}, Jib on no base image): its
 * configuration (entrypoint, user, ports, environment, volume) and its layers (the runtime, the
 * jar, the C libraries, the users). As root, also its layers alone as a root directory: the
 * entrypoint serves from there as the image's user, and writes nowhere but {@code /tmp} and the
 * volume.
 */
class ContainerImageIT {
  private static final Path TAR = Path.of("target", "openwif-image.tar");
  private static final Path JAR = Path.of("..", "wif-cli", "target", "wif.jar");
  private static final String VERSION = System.getProperty("wif.project.version", "");
  private static final Set<String> TOP_LEVEL =
      Set.of("app", "dev", "etc", "lib", "lib64", "opt", "proc", "tmp", "usr", "var");

  private static JsonNode manifest;
  private static JsonNode config;
  private static List<List<TarArchive.Entry>> layers;

  @BeforeAll
  static void readTheTarball() throws IOException {
    assertThat(TAR).as("the image tarball, made by mvn package").isRegularFile();
    List<TarArchive.Entry> outer;
    try (InputStream in = Files.newInputStream(TAR)) {
      outer = TarArchive.read(in);
    }
    Map<String, byte[]> files =
        outer.stream()
            .filter(TarArchive.Entry::isFile)
            .collect(Collectors.toMap(TarArchive.Entry::path, TarArchive.Entry::content));
    ObjectMapper json = new ObjectMapper();
    manifest = json.readTree(files.get("manifest.json"));
    assertThat(manifest).hasSize(1);
    config = json.readTree(files.get(manifest.get(0).path("Config").asText()));
    layers = new ArrayList<>();
    for (JsonNode layer : manifest.get(0).path("Layers")) {
      byte[] gzipped = files.get(layer.asText());
      assertThat(gzipped).as("layer %s in the tarball", layer.asText()).isNotNull();
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
        layers.add(TarArchive.read(in));
      }
    }
  }

  /** Every path of every layer (a later layer's entry replaces an earlier one's). */
  private static Map<String, TarArchive.Entry> fileSystem() {
    Map<String, TarArchive.Entry> all = new LinkedHashMap<>();
    layers.forEach(layer -> layer.forEach(entry -> all.put(entry.path(), entry)));
    return all;
  }

  /** The launcher's `./wif serve` JVM options, as the wif script writes them. */
  private static List<String> launcherServeOptions() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^DEFAULT_SERVE_JAVA_OPTS=\"([^\"]+)\"$")
            .matcher(Files.readString(Path.of("..", "wif")));
    assertThat(m.find()).as("DEFAULT_SERVE_JAVA_OPTS in the wif launcher").isTrue();
    return List.of(m.group(1).split(" "));
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(e -> list.add(e.asText()));
    return list;
  }

  private static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String pair : strings(config.path("config").path("Env"))) {
      env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    return env;
  }

  @Test
  void configWhenReadThenTheLaunchersServeOptionsANumericUserPortsEnvironmentAndVolume()
      throws IOException {
    assertThat(VERSION).isNotBlank().doesNotContain("${");
    assertThat(strings(manifest.get(0).path("RepoTags"))).containsExactly("openwif:" + VERSION);
    JsonNode c = config.path("config");
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add("/opt/openwif/jre/bin/java");
    entrypoint.addAll(launcherServeOptions());
    entrypoint.addAll(List.of("-jar", "/opt/openwif/wif.jar"));
    assertThat(strings(c.path("Entrypoint"))).isEqualTo(entrypoint);
    assertThat(strings(c.path("Cmd"))).containsExactly("serve");
    // numeric, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd
    assertThat(c.path("User").asText()).matches("[1-9][0-9]*:[1-9][0-9]*").isEqualTo("65532:65532");
    assertThat(c.path("ExposedPorts").properties())
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("8080/tcp", "9464/tcp");
    assertThat(environment())
        .containsEntry("WIF_HOST", "0.0.0.0")
        .containsEntry("WIF_PORT", "8080")
        .containsEntry("WIF_METRICS_ADDRESS", "0.0.0.0:9464")
        .containsEntry("WIF_DB", "/var/lib/openwif/data/wif.db")
        .containsEntry("MALLOC_ARENA_MAX", "2")
        .doesNotContainKeys("WIF_MASTER_KEY", "WIF_BOOTSTRAP_ADMIN_KEY", "WIF_DEV");
    assertThat(c.path("Volumes").properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("/var/lib/openwif");
    assertThat(c.path("WorkingDir").asText()).isEqualTo("/var/lib/openwif");
    assertThat(config.path("os").asText()).isEqualTo("linux");
    assertThat(config.path("rootfs").path("diff_ids")).hasSize(layers.size());
  }

  @Test
  void layersWhenListedThenRuntimeWithCdsArchiveJarLibrariesUserAndWritableDirectories()
      throws IOException {
    Map<String, TarArchive.Entry> fs = fileSystem();

    assertThat(fs.get("opt/openwif/wif.jar").content()).isEqualTo(Files.readAllBytes(JAR));
    assertThat(fs.get("opt/openwif/jre/bin/java").mode()).isEqualTo(0755);
    assertThat(fs)
        .containsKeys(
            "opt/openwif/jre/lib/server/libjvm.so",
            "opt/openwif/jre/lib/modules",
            "opt/openwif/jre/lib/security/cacerts",
            "opt/openwif/LICENSE",
            "opt/openwif/NOTICE",
            "usr/share/doc/libc6/copyright",
            "opt/openwif/jre/legal/java.base/LICENSE");
    assertThat(new String(fs.get("usr/share/doc/libc6/version").content(), StandardCharsets.UTF_8))
        .as("the C library's version, for its source")
        .isNotBlank()
        .doesNotContain("unknown");
    // the JDK classes' CDS archive, so that the JVM maps them rather than loading them
    assertThat(fs.get("opt/openwif/jre/lib/server/classes.jsa").content().length)
        .isGreaterThan(1_000_000);
    // the dynamic linker and the C library, executable where the kernel and the linker look for
    // them
    assertThat(fs.get("lib64/ld-linux-x86-64.so.2").mode() & 0111).isNotZero();
    assertThat(fs.keySet()).anyMatch(p -> p.matches("lib/[^/]+-linux-gnu/libc\\.so\\.6"));
    assertThat(new String(fs.get("etc/passwd").content(), StandardCharsets.UTF_8))
        .contains("openwif:x:65532:65532:")
        .doesNotContain("/bin/sh");
    // the only places the server writes, writable by the image's user
    assertThat(fs.get("tmp").mode()).isEqualTo(0777);
    assertThat(fs.get("var/lib/openwif").mode()).isEqualTo(0777);
    assertThat(fs.values())
        .allSatisfy(
            e -> {
              assertThat(e.uid()).as("owner of %s", e.path()).isZero();
              assertThat(e.mode() & 06000).as("setuid/setgid bits of %s", e.path()).isZero();
              assertThat(e.path().split("/")[0]).as("top-level of %s", e.path()).isIn(TOP_LEVEL);
            });
    // no shell, no package manager: nothing in the image but what the server runs on
    assertThat(fs.keySet()).noneMatch(p -> p.matches("(usr/)?s?bin/.*"));
  }

  /**
   * The layers, laid out as a root directory and entered with chroot in new mount and process
   * namespaces (proc and dev mounted, as a container runtime does): the entrypoint runs as the
   * image's user, serves health, readiness and metrics on native crypto, and writes only below
   * {@code /tmp} and the volume, so a read-only root file system holds.
   */
  @Test
  void layersWhenTheOnlyFileSystemThenTheEntrypointServesAsItsUserAndWritesOnlyTmpAndVolume(
      @TempDir Path dir) throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "running the image's file system needs root (chroot, mount namespaces): skipped");
    assumeTrue(onPath("unshare") && onPath("chroot"), "unshare and chroot are needed: skipped");
    Path root = dir.resolve("root");
    extract(root);
    Set<String> before = tree(root);
    List<String> entrypoint = strings(config.path("config").path("Entrypoint"));

    Run version =
        inImage(root, dir, List.of("/opt/openwif/jre/bin/java", "-Xshare:on", "-version"));
    assertThat(version.exit()).as("java -Xshare:on in the image: %s", version.out()).isZero();

    int metricsPort = freePort();
    List<String> serve = new ArrayList<>(entrypoint);
    serve.add("serve");
    Map<String, String> env = new HashMap<>(environment());
    env.put("WIF_HOST", "127.0.0.1");
    env.put("WIF_PORT", "0");
    env.put("WIF_METRICS_ADDRESS", "127.0.0.1:" + metricsPort);
    Path out = dir.resolve("serve.out");
    Process server = start(root, env, serve, out);
    try {
      String url = awaitListening(server, out);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThat(get(http, url + "/healthz").body()).isEqualTo("ok");
      assertThat(get(http, url + "/readyz").statusCode()).isEqualTo(200);
      assertThat(get(http, "http://127.0.0.1:" + metricsPort + "/metrics").body())
          .contains("wif_build_info{crypto=\"native\"");
      assertThat(Files.readString(out)).contains("crypto:        native");
    } finally {
      stop(server);
    }
    Path db = root.resolve("var/lib/openwif/data/wif.db");
    assertThat(db).isRegularFile();
    assertThat(Files.getAttribute(db, "unix:uid")).isEqualTo(65532);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
        .isEqualTo("rw-------");
    Set<String> written = new TreeSet<>(tree(root));
    written.removeAll(before);
    assertThat(written)
        .as("what the server wrote in the image")
        .isNotEmpty()
        .allMatch(p -> p.startsWith("tmp/") || p.startsWith("var/lib/openwif/"));
  }

  record Run(int exit, String out) {}

  /**
   * Stops the server and everything under {@code unshare}: the JVM is the namespace's first
   * process, and the parent-death signal {@code --kill-child} sets is cleared when {@code chroot
   * --userspec} changes the user, so it must be signalled itself (else it outlives the test).
   */
  private static void stop(Process server) throws InterruptedException {
    List<ProcessHandle> tree = server.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    server.destroy();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (ProcessHandle p : tree) {
      while (p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      if (p.isAlive()) {
        p.destroyForcibly();
        long killed = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.isAlive() && System.nanoTime() < killed) {
          Thread.sleep(100);
        }
      }
    }
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(tree).as("processes of the image still running").noneMatch(ProcessHandle::isAlive);
  }

  private static Process start(Path root, Map<String, String> env, List<String> command, Path out)
      throws IOException {
    List<String> shell = new ArrayList<>();
    shell.addAll(
        List.of("unshare", "--mount", "--pid", "--fork", "--kill-child=SIGTERM", "sh", "-c"));
    // mounts made in the new mount namespace only: the host sees neither
    shell.add(
        "mount -t proc proc \"$0/proc\" && mount --rbind /dev \"$0/dev\""
            + " && exec chroot --userspec=65532:65532 \"$0\" \"$@\"");
    shell.add(root.toString());
    shell.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(shell).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder.start();
  }

  private static Run inImage(Path root, Path dir, List<String> command) throws Exception {
    Path out = Files.createTempFile(dir, "run", ".out");
    Process p = start(root, Map.of(), command, out);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(out));
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

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Lays the layers out under {@code root}, in order, with their modes (owners stay root). */
  private static void extract(Path root) throws IOException {
    Files.createDirectories(root);
    for (List<TarArchive.Entry> layer : layers) {
      for (TarArchive.Entry e : layer) {
        Path target = root.resolve(e.path()).normalize();
        assertThat(target.startsWith(root)).as("layer path %s stays inside", e.path()).isTrue();
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          Files.write(target, e.content());
        } else {
          throw new AssertionError("unexpected entry type " + e.type() + " at " + e.path());
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(rwx(e.mode())));
      }
    }
  }

  private static String rwx(int mode) {
    StringBuilder s = new StringBuilder();
    for (int shift = 6; shift >= 0; shift -= 3) {
      int bits = (mode >> shift) & 7;
      s.append((bits & 4) != 0 ? 'r' : '-')
          .append((bits & 2) != 0 ? 'w' : '-')
          .append((bits & 1) != 0 ? 'x' : '-');
    }
    return s.toString();
  }

  private static Set<String> tree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p).toString()).collect(Collectors.toSet());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
