package dev.openwif.cli.admin;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/**
 * The options of every remote admin command (a picocli mixin): which server ({@code --server URL}
 * or {@value #SERVER_ENV}), which admin key ({@value #ADMIN_KEY_ENV} or {@code --admin-key-file
 * FILE}; never a flag value, which would show in the shell history and the process list), the trust
 * for a self-signed server ({@code --cacert FILE}) and the request timeout. {@link #client()}
 * checks them and builds the {@link AdminApiClient}.
 *
 * <p>The environment is {@link System#getenv()} unless {@link #environment(Map)} replaced it
 * (tests, and {@code wif}'s command line built for a given environment). Not thread-safe: one
 * instance serves one command run.
 */
public final class AdminConnection {
  public static final String SERVER_ENV = "WIF_SERVER";
  public static final String ADMIN_KEY_ENV = "WIF_ADMIN_KEY";
  public static final String ADMIN_KEY_FILE_FLAG = "--admin-key-file";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "The OpenWIF server's base URL (default: " + SERVER_ENV + "); http only to this machine.")
  Optional<String> server = Optional.empty();

  @Option(
      names = ADMIN_KEY_FILE_FLAG,
      paramLabel = "FILE",
      description = "Read the admin key from this file (default: " + ADMIN_KEY_ENV + ").")
  Optional<Path> adminKeyFile = Optional.empty();

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description = "Trust the PEM certificates in this file for an https server (self-signed).")
  Optional<Path> cacert = Optional.empty();

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Give up on a request after this many seconds (default: ${DEFAULT-VALUE}).",
      defaultValue = "30")
  int timeoutSeconds;

  private Map<String, String> environment = System.getenv();

  /** Reads {@value #SERVER_ENV} and {@value #ADMIN_KEY_ENV} from {@code environment}. */
  public void environment(Map<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * The client these options describe.
   *
   * @throws IllegalArgumentException naming what is missing or wrong: no server, no key, both
   *     {@value #ADMIN_KEY_ENV} and {@code --admin-key-file}, an unreadable key or CA file, a URL
   *     that is not an OpenWIF base URL, a timeout out of range
   */
  public AdminApiClient client() {
    String url =
        server
            .or(() -> Optional.ofNullable(environment.get(SERVER_ENV)).filter(s -> !s.isBlank()))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no server: give --server URL or set " + SERVER_ENV));
    String key = adminKey();
    if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
      throw new IllegalArgumentException("--timeout must be between 1 and 3600 seconds");
    }
    Optional<SSLContext> tls = cacert.map(file -> TrustedCertificates.sslContext("--cacert", file));
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    return new AdminApiClient(
        url, key, tls, min(AdminApiClient.DEFAULT_CONNECT_TIMEOUT, timeout), timeout);
  }

  /** The trust of {@code --cacert}, when given (for callers building another HTTP client). */
  public Optional<SSLContext> tls() {
    return cacert.map(file -> TrustedCertificates.sslContext("--cacert", file));
  }

  private String adminKey() {
    Optional<String> fromEnvironment =
        Optional.ofNullable(environment.get(ADMIN_KEY_ENV))
            .map(String::strip)
            .filter(v -> !v.isEmpty());
    if (fromEnvironment.isPresent() && adminKeyFile.isPresent()) {
      throw new IllegalArgumentException(
          ADMIN_KEY_ENV + " and " + ADMIN_KEY_FILE_FLAG + " are both set; give only one");
    }
    return fromEnvironment
        .or(() -> adminKeyFile.map(AdminConnection::fromFile))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no admin key: set "
                        + ADMIN_KEY_ENV
                        + " or give "
                        + ADMIN_KEY_FILE_FLAG
                        + " FILE (wif admin-keys create makes one)"));
  }

  private static String fromFile(Path path) {
    String content;
    try {
      content = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(ADMIN_KEY_FILE_FLAG + " " + path + ": no such file", e);
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException(ADMIN_KEY_FILE_FLAG + " " + path + ": not UTF-8 text", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          ADMIN_KEY_FILE_FLAG + " " + path + ": cannot read it (" + e + ")", e);
    }
    String key = content.strip();
    if (key.isEmpty()) {
      throw new IllegalArgumentException(ADMIN_KEY_FILE_FLAG + " " + path + ": the file is empty");
    }
    return key;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
