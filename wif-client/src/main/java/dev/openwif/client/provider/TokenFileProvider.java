package dev.openwif.client.provider;

import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.SubjectTokenType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A subject token read from a mounted file: a GKE or Kubernetes projected service account token, or
 * the EKS web identity token ({@code AWS_WEB_IDENTITY_TOKEN_FILE}). The file is re-read on every
 * call (the kubelet rotates it in place), trimmed, and an empty or missing file is an error naming
 * the path. Thread-safe.
 */
public final class TokenFileProvider implements SubjectTokenProvider {
  /** Where Kubernetes mounts a pod's service account token by default. */
  public static final Path KUBERNETES_DEFAULT_PATH =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  /** The variable EKS sets to the path of the web identity token. */
  public static final String AWS_WEB_IDENTITY_TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";

  private final Path path;
  private final SubjectTokenType tokenType;

  private TokenFileProvider(Path path, SubjectTokenType tokenType) {
    this.path = Objects.requireNonNull(path, "path");
    this.tokenType = Objects.requireNonNull(tokenType, "tokenType");
  }

  /** Reads a JWT from {@code path} (for example {@code /var/run/secrets/tokens/token}). */
  public static TokenFileProvider of(Path path) {
    return new TokenFileProvider(path, SubjectTokenType.JWT);
  }

  /** Reads a token of the given type from {@code path}. */
  public static TokenFileProvider of(Path path, SubjectTokenType tokenType) {
    return new TokenFileProvider(path, tokenType);
  }

  /** Reads the Kubernetes default service account token path. */
  public static TokenFileProvider kubernetes() {
    return of(KUBERNETES_DEFAULT_PATH);
  }

  /**
   * Reads the file named by {@code AWS_WEB_IDENTITY_TOKEN_FILE} in {@code environment}.
   *
   * @throws IllegalStateException when the variable is not set
   */
  public static TokenFileProvider awsWebIdentity(Map<String, String> environment) {
    String value = environment.get(AWS_WEB_IDENTITY_TOKEN_FILE);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "Set " + AWS_WEB_IDENTITY_TOKEN_FILE + " to the web identity token file");
    }
    return of(Path.of(value.trim()));
  }

  @Override
  public SubjectTokenType tokenType() {
    return tokenType;
  }

  @Override
  public String getToken() throws IOException {
    String token;
    try {
      token = Files.readString(path, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new IOException("The token file " + path + " does not exist.", e);
    } catch (IOException e) {
      throw new IOException("The token file " + path + " cannot be read: " + e.getMessage(), e);
    }
    if (token.isEmpty()) {
      throw new IOException("The token file " + path + " is empty.");
    }
    return token;
  }

  @Override
  public String description() {
    return "token file " + path;
  }

  /** The file read. */
  public Path path() {
    return path;
  }
}
