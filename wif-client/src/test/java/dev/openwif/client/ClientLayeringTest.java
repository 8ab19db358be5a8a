package dev.openwif.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's runtime promise: only {@code dev.openwif.client.openai} may refer to the
 * openai-java SDK, and nothing refers to other OpenWIF modules, so the core works with the JDK and
 * Jackson alone.
 */
class ClientLayeringTest {

  @Test
  void compiledClassesWhenOutsideTheAdapterThenNeverReferToOpenAiSdkOrOtherModules()
      throws IOException, URISyntaxException {
    Path root =
        Path.of(
            WorkloadIdentityCredentials.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    Path adapter = root.resolve("dev/openwif/client/openai");
    List<Path> classes;
    try (Stream<Path> files = Files.walk(root.resolve("dev/openwif/client"))) {
      classes =
          files
              .filter(p -> p.toString().endsWith(".class"))
              .filter(p -> !p.startsWith(adapter))
              .toList();
    }

    assertThat(classes).hasSizeGreaterThan(10);
    for (Path file : classes) {
      String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(constants)
          .as(file.toString())
          .doesNotContain("com/openai/")
          .doesNotContain("okhttp3/");
      for (String module :
          List.of(
              "dev/openwif/core",
              "dev/openwif/server",
              "dev/openwif/store",
              "dev/openwif/emulator",
              "dev/openwif/testkit",
              "dev/openwif/exchange",
              "dev/openwif/token")) {
        assertThat(constants).as(file.toString()).doesNotContain(module + "/");
      }
    }
  }
}
