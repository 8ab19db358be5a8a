package dev.openwif.emulator.gke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Replaces the token file atomically: the token is written to a temporary file in the same
 * directory and moved over the target with {@link StandardCopyOption#ATOMIC_MOVE}, so a reader sees
 * either the old token or the new one, never a partial file (the kubelet gets the same guarantee
 * from its atomic writer's symlink swap). The file holds the bare JWT with no trailing newline, as
 * the kubelet writes it.
 *
 * <p>Not synchronized: callers serialize writes to one file.
 */
final class TokenFileWriter {
  private final Path file;

  TokenFileWriter(Path file) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
  }

  Path file() {
    return file;
  }

  void write(String token) {
    Path dir = Optional.ofNullable(file.getParent()).orElseThrow();
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      try {
        Files.writeString(temp, token, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the token file " + file, e);
    }
  }
}
