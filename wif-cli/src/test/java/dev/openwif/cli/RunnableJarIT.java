package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged runnable jar, run as a user runs it ({@code java -jar wif.jar demo}): both of the
 * guide's scenarios with the emulators, the server and the client inside the one jar. Catches a
 * class or service file that the shaded jar lacks although the test classpath has it.
 */
class RunnableJarIT {
  @TempDir Path dir;

  @Test
  void versionWhenRunFromThePackagedJarThenTheProjectVersionAlsoInTheManifest() throws Exception {
    String expected = System.getProperty("wif.project.version");
    assertThat(expected).isNotBlank().doesNotContain("${");
    Path output = dir.resolve("version.txt");
    Process version =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ServeCommandIT.JAR,
                "--version")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();

    assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(version.exitValue()).isZero();
    assertThat(Files.readString(output, StandardCharsets.UTF_8).strip())
        .isEqualTo("OpenWIF " + expected);
    try (JarFile jar = new JarFile(ServeCommandIT.JAR)) {
      Attributes manifest = jar.getManifest().getMainAttributes();
      assertThat(manifest.getValue("Implementation-Version")).isEqualTo(expected);
      assertThat(manifest.getValue("Implementation-Title")).isEqualTo("OpenWIF");
    }
  }

  @Test
  void demoWhenRunFromThePackagedJarThenEveryStepHoldsAndExitsZero() throws Exception {
    Path output = dir.resolve("demo.txt");
    Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ServeCommandIT.JAR,
                "demo")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();

    boolean finished = demo.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      demo.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(finished).as("demo finished within 120 s; it printed:%n%s", printed).isTrue();
    assertThat(demo.exitValue()).as("exit code; it printed:%n%s", printed).isZero();
    assertThat(printed).doesNotContain("Exception");
  }
}
