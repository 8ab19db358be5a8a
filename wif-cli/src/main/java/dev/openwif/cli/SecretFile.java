package dev.openwif.cli;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A secret given by an environment variable or by a file named by a flag (a Kubernetes secret
 * mount, a systemd credential), never both. The file's content, surrounding whitespace stripped, is
 * the secret; errors name the flag and the file, never the content.
 */
final class SecretFile {
  private SecretFile() {}

  /**
   * The secret from {@code environmentValue} (the variable {@code variable}) or from {@code file}
   * (given by {@code flag}), or empty when neither is set.
   *
   * @throws IllegalArgumentException when both are set, or the file is missing, unreadable or empty
   */
  static Optional<String> read(
      String variable, @Nullable String environmentValue, String flag, Optional<Path> file) {
    Optional<String> fromEnvironment =
        Optional.ofNullable(environmentValue).map(String::strip).filter(v -> !v.isEmpty());
    if (fromEnvironment.isPresent() && file.isPresent()) {
      throw new IllegalArgumentException(
          variable + " and " + flag + " are both set; give only one");
    }
    if (fromEnvironment.isPresent()) {
      return fromEnvironment;
    }
    return file.map(path -> fromFile(flag, path));
  }

  /**
   * The secret in {@code file}, given by {@code flag}.
   *
   * @throws IllegalArgumentException when the file is missing, unreadable or empty
   */
  static String fromFile(String flag, Path path) {
    String content;
    try {
      content = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(flag + " " + path + ": no such file");
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(flag + " " + path + ": not UTF-8 text");
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + " " + path + ": cannot read it (" + e + ")");
    }
    String secret = content.strip();
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(flag + " " + path + ": the file is empty");
    }
    return secret;
  }
}
