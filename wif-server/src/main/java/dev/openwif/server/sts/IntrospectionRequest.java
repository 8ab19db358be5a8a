package dev.openwif.server.sts;

import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code POST /oauth/introspect} (RFC 7662 §2.1), or why it could not be parsed.
 * Immutable.
 */
sealed interface IntrospectionRequest {
  /**
   * A well-formed request; whether its credentials authenticate, and whether it names a token, is
   * decided by {@link IntrospectionEndpoint}.
   *
   * @param token the token to introspect; empty when the request named none
   * @param tokenTypeHint {@code token_type_hint}, when given (advisory; RFC 7662 §2.1)
   * @param credentials how the caller authenticated
   */
  record Parsed(
      Optional<String> token, Optional<String> tokenTypeHint, ClientCredentials credentials)
      implements IntrospectionRequest {
    public Parsed {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(tokenTypeHint, "tokenTypeHint");
      Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public String toString() {
      return "Parsed[token="
          + (token.isPresent() ? "<redacted>" : "none")
          + ", "
          + credentials
          + "]";
    }
  }

  /** The body or the credentials are malformed: 400 {@code invalid_request}. */
  record Malformed(String problem) implements IntrospectionRequest {
    public Malformed {
      Objects.requireNonNull(problem, "problem");
    }
  }

  /** How the caller presented itself (RFC 6749 §2.3.1). Immutable. */
  sealed interface ClientCredentials {
    /** No credentials at all. */
    record None() implements ClientCredentials {}

    /**
     * A {@code client_id} and secret, from HTTP Basic ({@code client_secret_basic}) or the body
     * ({@code client_secret_post}).
     *
     * @param method {@code client_secret_basic} or {@code client_secret_post}
     */
    record Secret(String method, String clientId, String secret) implements ClientCredentials {
      public Secret {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(secret, "secret");
      }

      @Override
      public String toString() {
        return "Secret[" + method + ", secret=<redacted>]";
      }
    }

    /**
     * A credential shaped like an admin key ({@code wifadm_...} or {@code sk-admin-...}) as a
     * bearer token, a Basic secret or {@code client_secret}: only the shape is looked at.
     */
    record AdminKey() implements ClientCredentials {}

    /**
     * Something that is not a resource-server credential: another {@code Authorization} scheme, a
     * Basic value that does not decode, a {@code client_id} without a secret.
     */
    record Unusable(String problem) implements ClientCredentials {
      public Unusable {
        Objects.requireNonNull(problem, "problem");
      }
    }
  }
}
