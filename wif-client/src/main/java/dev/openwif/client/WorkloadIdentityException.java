package dev.openwif.client;

import org.jspecify.annotations.Nullable;

/**
 * Why {@link WorkloadIdentityCredentials} could not produce an access token. The three cases are
 * closed:
 *
 * <ul>
 *   <li>{@link TokenExchangeRejectedException}: the token endpoint refused the exchange (4xx, never
 *       retried); carries the OAuth {@code error} code and {@code error_description} (RFC 6749
 *       §5.2).
 *   <li>{@link TokenEndpointException}: the endpoint could not be used (connection failures and 5xx
 *       after the retries, a redirect, a malformed success response).
 *   <li>{@link SubjectTokenProviderException}: the subject token provider failed; names the
 *       provider.
 * </ul>
 *
 * Messages never contain a token.
 */
public abstract sealed class WorkloadIdentityException extends RuntimeException
    permits TokenExchangeRejectedException, TokenEndpointException, SubjectTokenProviderException {

  WorkloadIdentityException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
