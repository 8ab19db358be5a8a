package dev.openwif.client;

import java.io.IOException;
import java.util.Objects;

/**
 * Supplies the subject token (the workload's platform-issued JWT) for one token exchange, as the
 * guide's {@code SubjectTokenProvider} does: a {@link #tokenType()} and a {@link #getToken()}.
 *
 * <p>{@link #getToken()} is called once per exchange, never cached by the caller, so a provider
 * that reads a rotated file or asks a metadata server always hands over a fresh token.
 * Implementations must be thread-safe; {@link WorkloadIdentityCredentials} never calls one
 * concurrently with itself, but other code may.
 */
public interface SubjectTokenProvider {

  /** The type of the token {@link #getToken()} returns. */
  SubjectTokenType tokenType();

  /**
   * Returns a subject token, trimmed and non-empty.
   *
   * @throws IOException when the token cannot be obtained; the message says why (status, empty
   *     token, unreadable file) and never contains a token
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  String getToken() throws IOException, InterruptedException;

  /**
   * Names this provider in error messages (for example {@code "token file
   * /var/run/secrets/tokens/token"}). Never contains a secret.
   */
  default String description() {
    return getClass().getSimpleName();
  }

  /** The body of a provider written as a lambda: returns a subject token or throws. */
  @FunctionalInterface
  interface TokenSource {
    /** Returns a subject token. */
    String get() throws IOException, InterruptedException;
  }

  /**
   * A provider from a lambda, for any platform without a built-in provider.
   *
   * @param tokenType the type of token {@code source} returns
   * @param description names the provider in error messages
   * @param source returns the token; its result is trimmed and an empty result is an error
   */
  static SubjectTokenProvider of(
      SubjectTokenType tokenType, String description, TokenSource source) {
    Objects.requireNonNull(tokenType, "tokenType");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(source, "source");
    return new SubjectTokenProvider() {
      @Override
      public SubjectTokenType tokenType() {
        return tokenType;
      }

      @Override
      public String getToken() throws IOException, InterruptedException {
        String token = source.get();
        if (token == null || token.trim().isEmpty()) {
          throw new IOException(description + " returned an empty subject token.");
        }
        return token.trim();
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public String toString() {
        return "SubjectTokenProvider[" + description + ", " + tokenType + "]";
      }
    };
  }

  /** A provider from a lambda returning a {@link SubjectTokenType#JWT}. */
  static SubjectTokenProvider jwt(TokenSource source) {
    return of(SubjectTokenType.JWT, "custom subject token provider", source);
  }
}
