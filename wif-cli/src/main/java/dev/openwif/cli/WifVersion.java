package dev.openwif.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The build's version, from {@code version.properties}, which Maven fills in with the project
 * version when it copies the resource (so the version is written once, in the POM).
 */
public final class WifVersion implements CommandLine.IVersionProvider {
  private static final String RESOURCE = "version.properties";

  /** The Maven project version this jar was built from, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    try (InputStream in = WifVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"OpenWIF " + version()};
  }
}
