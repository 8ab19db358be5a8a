package dev.openwif.server.gateway;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the key sent to the upstream as {@code Authorization: Bearer} comes from: none (a local
 * server that needs no key), a fixed value ({@code WIF_UPSTREAM_API_KEY}), a file read at start and
 * again when it changes ({@code --upstream-api-key-file}, see {@link UpstreamKeyFile}), or a
 * short-lived token this server gets by workload identity and renews ({@link UpstreamCredential}).
 * No implementation prints the key. Thread-safe.
 */
public sealed interface UpstreamKey
    permits UpstreamKey.None, UpstreamKey.Fixed, UpstreamKeyFile, UpstreamCredential {

  /**
   * The key to send now; empty sends no {@code Authorization}.
   *
   * @throws UpstreamCredentialException when an {@link UpstreamCredential} has no valid token and
   *     cannot get one now
   */
  Optional<String> current();

  /** Whether a key is configured (the value itself is never shown). */
  default boolean isSet() {
    return !(this instanceof None);
  }

  /** No key. */
  static UpstreamKey none() {
    return new None();
  }

  /**
   * A fixed key.
   *
   * @throws IllegalArgumentException when it is blank or not printable ASCII without spaces
   */
  static UpstreamKey of(String value) {
    return new Fixed(value);
  }

  /**
   * The key in {@code file}, read now and re-read when the file changes.
   *
   * @throws IllegalArgumentException when the file cannot be read now or holds no valid key
   */
  static UpstreamKey file(Path file) {
    return new UpstreamKeyFile(file, UpstreamKeyFile.CHECK_INTERVAL);
  }

  /** Whether {@code key} can be sent in a header: non-blank printable ASCII, no spaces. */
  static boolean usable(String key) {
    return !key.isEmpty() && key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  /** No key: requests go upstream without {@code Authorization}. */
  record None() implements UpstreamKey {
    @Override
    public Optional<String> current() {
      return Optional.empty();
    }
  }

  /** A key given once, at start. */
  record Fixed(String value) implements UpstreamKey {
    public Fixed {
      Objects.requireNonNull(value, "value");
      if (!usable(value)) {
        throw new IllegalArgumentException(
            "the upstream API key must be non-blank printable ASCII without spaces");
      }
    }

    @Override
    public Optional<String> current() {
      return Optional.of(value);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
      return "Fixed[<set>]";
    }
  }
}
