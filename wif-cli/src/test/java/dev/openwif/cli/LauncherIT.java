package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./wif} launcher, run by bash with a PATH of only the few tools it needs. It runs from
 * a copy in a temporary directory (no pom.xml, no sources), so it can never build the real tree,
 * and the PATH has no {@code apt-get}, so it can never install anything.
 */
@Tag("crypto-neutral")
class LauncherIT {
  private static final List<String> TOOLS =
      List.of(
          "bash",
          "env",
          "dirname",
          "readlink",
          "sed",
          "head",
          "ls",
          "sort",
          "id",
          "find",
          "cat",
          "tr",
          // the start-up cache's training run
          "mktemp",
          "od",
          "sleep",
          "grep",
          "rm",
          "mv",
          "curl");

  @TempDir Path root;

  /** Symbolic links to the tools (not a {@code @TempDir}: JUnit warns about links leaving it). */
  Path bin;

  @org.junit.jupiter.api.BeforeEach
  void makeBin() throws IOException {
    bin = Files.createTempDirectory("wif-launcher-bin");
  }

  @org.junit.jupiter.api.AfterEach
  void removeBin() throws IOException {
    try (var links = Files.list(bin)) {
      for (Path link : links.toList()) {
        Files.delete(link); // the link itself, never its target
      }
    }
    Files.delete(bin);
  }

  record Run(int exit, String out, String err) {}

  private Path launcher() throws IOException {
    Path source = Path.of(System.getProperty("user.dir")).getParent().resolve("wif");
    Path copy = root.resolve("wif");
    Files.copy(source, copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String tool : TOOLS) {
      Optional<Path> found = onPath(tool);
      if (found.isPresent()) {
        Files.createSymbolicLink(bin.resolve(tool), found.get());
      }
    }
    assertThat(bin.resolve("bash")).exists();
    assertThat(bin.resolve("mvn")).doesNotExist();
    assertThat(bin.resolve("apt-get")).doesNotExist();
    return copy;
  }

  private static Optional<Path> onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private Run run(Path launcher, String... args) throws Exception {
    return run(launcher, Map.of(), args);
  }

  /** Runs the launcher with {@code extraEnv} added to (or replacing) the minimal environment. */
  private Run run(Path launcher, Map<String, String> extraEnv, String... args) throws Exception {
    return run(launcher, extraEnv, 60, args);
  }

  private Run run(Path launcher, Map<String, String> extraEnv, int timeoutSeconds, String... args)
      throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(bin.resolve("bash").toString());
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", bin.toString());
    env.put("HOME", root.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("WIF_INSTALL_MAVEN", "no");
    env.putAll(extraEnv);
    builder.directory(root.toFile());
    Path out = root.resolve("out.txt");
    Path err = root.resolve("err.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        .as("launcher finished within %d s", timeoutSeconds)
        .isTrue();
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void buildWhenNoMavenOnThePathThenExit1WithOneLineSayingHowToInstallIt() throws Exception {
    Run run = run(launcher(), "build");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines().toList())
        .containsExactly(
            "wif: error: Maven 3.8 or newer is needed to build OpenWIF. Install it: Debian/Ubuntu"
                + " 'sudo apt-get install maven'; macOS 'brew install maven'; SDKMAN 'sdk install"
                + " maven'.");
    assertThat(run.out()).isEmpty();
    assertThat(root.resolve("wif-cli")).doesNotExist();
  }

  @Test
  void testWhenNoNodeOnThePathThenExit1WithOneLineSayingHowToInstallIt() throws Exception {
    Run run = run(launcher(), Map.of("WIF_INSTALL_NODE", "no"), "test");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines().toList())
        .containsExactly(
            "wif: error: the tests need Node.js 18 or newer with npm (they run a third-party mock"
                + " upstream). Install them: Debian/Ubuntu 'sudo apt-get install nodejs npm'; macOS"
                + " 'brew install node'.");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void testWhenNodeIsOlderThan18ThenTheSameLineAndMavenNeverRuns() throws Exception {
    Path launcher = launcher();
    for (String tool : List.of("node", "npm", "mvn")) {
      Path stub = bin.resolve(tool);
      Files.writeString(
          stub,
          tool.equals("node")
              ? "#!/usr/bin/env bash\necho v16.20.2\n"
              : "#!/usr/bin/env bash\necho \"stand-in " + tool + " ran\"; exit 3\n");
      Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Run run = run(launcher, Map.of("WIF_INSTALL_NODE", "no"), "test");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("wif: error: the tests need Node.js 18 or newer with npm");
    assertThat(run.out() + run.err()).doesNotContain("stand-in mvn ran");
  }

  @Test
  void buildWhenMavenPrintsAColouredBannerThenItsVersionIsStillRecognised() throws Exception {
    Path launcher = launcher();
    // A stand-in mvn: a coloured 3.8.7 banner for --version, and a failure for anything else (the
    // launcher then shows the "build failed" line, proving it accepted the version).
    Path mvn = bin.resolve("mvn");
    Files.writeString(
        mvn,
        """
        #!/usr/bin/env bash
        for a in "$@"; do
          if [[ "$a" == --version ]]; then printf '\\033[1mApache Maven 3.8.7\\033[m\\n'; exit 0; fi
        done
        echo "stand-in mvn: not building"; exit 3
        """);
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));

    Run run = run(launcher, "build");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("stand-in mvn: not building")
        .contains("wif: error: build failed")
        .doesNotContain("older than Maven 3.8");
  }

  @Test
  void runWhenNoJdkAnywhereThenExit1WithOneErrorLine() throws Exception {
    Path launcher = launcher();
    Path noJdk = Files.createDirectory(root.resolve("no-jdk"));
    Path noJvms = Files.createDirectory(root.resolve("no-jvms"));

    Run run =
        run(
            launcher,
            Map.of("JAVA_HOME", noJdk.toString(), "WIF_JVM_DIR", noJvms.toString()),
            "--version");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines().toList())
        .containsExactly(
            "wif: error: no JDK 21 or newer found (looked at JAVA_HOME, PATH and "
                + noJvms
                + "). Install one, or set JAVA_HOME.");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void buildWhenMavenIsOlderThan38ThenErrorLinesWithTheCliPrefix() throws Exception {
    Path launcher = launcher();
    Path mvn = bin.resolve("mvn");
    Files.writeString(
        mvn,
        """
        #!/usr/bin/env bash
        echo "Apache Maven 3.6.3"
        """);
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));

    Run run = run(launcher, "build");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines().toList())
        .hasSize(2)
        .allMatch(line -> line.startsWith("wif: error: "))
        .first()
        .isEqualTo("wif: error: " + mvn + " is older than Maven 3.8.");
  }

  /** Copies the packaged jar to where the launcher copy looks for it. */
  private Path copyJar() throws IOException {
    Path jar = Path.of(System.getProperty("user.dir"), "target", "wif.jar");
    assertThat(jar).as("the IT runs after package").exists();
    Files.createDirectories(root.resolve("wif-cli/target"));
    return Files.copy(jar, root.resolve("wif-cli/target/wif.jar"));
  }

  /** Class loading logged: where the CLI's main class came from. */
  private static final Map<String, String> LOG_MAIN_CLASS =
      Map.of("WIF_JAVA_OPTS", "-Xlog:class+load=info");

  private static boolean mainClassFromTheCache(Run run) {
    return run.out().contains("dev.openwif.cli.WifCommand source: shared objects file");
  }

  @Test
  void cacheWhenRunThenLaterStartsLoadTheClassesFromIt() throws Exception {
    Path launcher = launcher();
    copyJar();

    Run training = run(launcher, Map.of(), 240, "cache");
    Run later = run(launcher, LOG_MAIN_CLASS, "--version");

    assertThat(training.exit()).as(training.err()).isZero();
    assertThat(training.err()).doesNotContain("warning");
    assertThat(later.exit()).isZero();
    assertThat(mainClassFromTheCache(later)).as(later.out()).isTrue();
  }

  @Test
  void runWhenTheJarIsNewerThanTheCacheThenTheCacheIsSkippedWithoutAWord() throws Exception {
    Path launcher = launcher();
    Path jar = copyJar();
    assertThat(run(launcher, Map.of(), 240, "cache").exit()).isZero();
    Files.setLastModifiedTime(
        jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));

    Run logged = run(launcher, LOG_MAIN_CLASS, "--version");
    Run plain = run(launcher, "--version");

    assertThat(logged.exit()).isZero();
    assertThat(mainClassFromTheCache(logged)).as(logged.out()).isFalse();
    assertThat(plain.out()).startsWith("OpenWIF ").doesNotContain("aot").doesNotContain("cds");
    assertThat(plain.err()).isEmpty();
  }

  @Test
  void helpWhenRunThenTheJarsCommandsThenTheLaunchersTestAndBuild() throws Exception {
    Path launcher = launcher();
    copyJar();

    Run run = run(launcher, "--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("Usage: wif [-hV] [COMMAND]")
        .contains("Launcher commands (./wif only):")
        .containsPattern("(?m)^  test +Run the whole test suite")
        .containsPattern("(?m)^  build +Build wif-cli/target/wif.jar")
        .containsPattern("(?m)^  cache +Make the start-up cache again")
        .containsPattern(
            "(?m)^  image +Build the container image, wif-image/target/openwif-image.tar")
        .containsPattern("(?m)^  format +Reformat the Java sources");
  }
}
