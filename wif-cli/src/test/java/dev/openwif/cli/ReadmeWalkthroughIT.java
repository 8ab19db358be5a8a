package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walkthrough, its bash blocks run as one script, in the cases where it must stop at
 * once with the reason: run from the wrong directory, and its port already taken. (The happy path
 * starts three servers on fixed ports and takes about 30 s; it is run by hand, see the README.)
 */
class ReadmeWalkthroughIT {
  @TempDir Path dir;

  record Run(int exit, String out, long millis) {}

  private Path script() throws IOException {
    List<String> readme =
        Files.readAllLines(
            Path.of(System.getProperty("user.dir")).getParent().resolve("README.md"),
            StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    boolean inSection = false;
    boolean inBlock = false;
    for (String line : readme) {
      if (line.startsWith("## ")) {
        inSection = line.startsWith("## 5-minute walkthrough");
      } else if (inSection && line.equals("```bash")) {
        inBlock = true;
      } else if (inSection && inBlock && line.equals("```")) {
        inBlock = false;
      } else if (inBlock) {
        lines.add(line);
      }
    }
    assertThat(lines).as("bash blocks of the walkthrough").hasSizeGreaterThan(50);
    Path script = dir.resolve("walkthrough.sh");
    Files.write(script, lines, StandardCharsets.UTF_8);
    return script;
  }

  private Run run(Path script, Path workingDirectory) throws Exception {
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder("bash", script.toString())
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.exitValue(), out, (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void walkthroughWhenRunOutsideTheCheckoutThenStopsSayingWhereToRunIt() throws Exception {
    Run run = run(script(), dir);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "walkthrough stopped: ./wif not found: run the walkthrough from the root of the"
                + " OpenWIF checkout\n");
  }

  @Test
  void walkthroughWhenItsPortIsTakenThenStopsBeforeStartingAnything() throws Exception {
    for (String tool : List.of("curl", "jq", "openssl")) {
      assumeTrue(onPath(tool), tool + " is needed by the walkthrough");
    }
    ServerSocket taken;
    try {
      taken = new ServerSocket(18080, 1, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      taken = null; // something else already holds it: the walkthrough must stop all the same
    }
    try {
      Run run = run(script(), Path.of(System.getProperty("user.dir")).getParent());

      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.out())
          .startsWith("walkthrough stopped: something already listens on 127.0.0.1:18080");
      assertThat(Path.of("/tmp/openwif-walkthrough")).doesNotExist();
    } finally {
      if (taken != null) {
        taken.close();
      }
    }
  }

  @Test
  void readmeWhenItSaysHowToRunItAllAtOnceThenTheScriptGoesToTmpAndHoldsTheBlocks()
      throws Exception {
    Path checkout = Path.of(System.getProperty("user.dir")).getParent();
    String readme = Files.readString(checkout.resolve("README.md"), StandardCharsets.UTF_8);
    java.util.regex.Matcher command =
        java.util.regex.Pattern.compile("`(awk .*?) > /tmp/openwif-walkthrough\\.sh`")
            .matcher(readme);
    assertThat(command.find()).as("the README's run-it-all command").isTrue();
    assertThat(readme)
        .contains("`bash /tmp/openwif-walkthrough.sh`")
        .doesNotContain("> walkthrough.sh");

    // The command itself, with its output captured here rather than in /tmp.
    Process extract =
        new ProcessBuilder("bash", "-c", command.group(1))
            .directory(checkout.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String extracted = new String(extract.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(extract.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(extracted).isEqualTo(Files.readString(script(), StandardCharsets.UTF_8));
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
