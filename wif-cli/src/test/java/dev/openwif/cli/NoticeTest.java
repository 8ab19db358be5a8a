package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The root {@code NOTICE} names every third-party component the runnable jar bundles: Maven lists
 * wif-cli's runtime dependencies (the shaded jar's content, our own modules aside) into {@code
 * target/bundled-dependencies.txt} before the tests, so a new dependency without a line in NOTICE
 * fails the build.
 */
class NoticeTest {
  private static final Pattern ARTIFACT =
      Pattern.compile("^\\s*([\\w.\\-]+):([\\w.\\-]+):jar:", Pattern.MULTILINE);

  @Test
  void noticeWhenComparedWithTheBundledDependenciesThenNamesEachOfThem() throws Exception {
    String listed =
        Files.readString(Path.of("target", "bundled-dependencies.txt"))
            .replaceAll("\u001B\\[[;\\d]*m", "");
    String notice = Files.readString(Path.of("..", "NOTICE"));
    Matcher m = ARTIFACT.matcher(listed);
    List<String> bundled = m.results().map(r -> r.group(1) + ":" + r.group(2)).toList();

    assertThat(bundled).as("Maven's list of bundled dependencies").hasSizeGreaterThan(20);
    List<String> missing =
        bundled.stream()
            .filter(
                artifact ->
                    !Pattern.compile("(?m)^\\s+" + Pattern.quote(artifact) + "(\\s|$)")
                        .matcher(notice)
                        .find())
            .toList();
    assertThat(missing).as("bundled components NOTICE does not name").isEmpty();
    assertThat(Files.readString(Path.of("..", "LICENSE")))
        .contains("Apache License")
        .contains("Version 2.0, January 2004");
  }
}
