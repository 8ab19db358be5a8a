package dev.openwif.exchange;

import java.util.Objects;
import java.util.Optional;

/**
 * A token-exchange request as parsed from the wire (RFC 8693 §2.1), before any validation of its
 * values.
 *
 * @param grantType must be {@link #TOKEN_EXCHANGE_GRANT}
 * @param subjectToken the workload's OIDC token (never logged; only its SHA-256 is audited)
 * @param subjectTokenType {@link #JWT_TOKEN_TYPE} or {@link #ID_TOKEN_TYPE}
 * @param identityProviderId the workload identity provider that must have issued the token
 * @param serviceAccountId the service account the workload wants to act as
 * @param clientId optional, recorded only
 * @param clientAddress the peer address, for the audit log
 */
public record ExchangeRequest(
    String grantType,
    String subjectToken,
    String subjectTokenType,
    String identityProviderId,
    String serviceAccountId,
    Optional<String> clientId,
    Optional<String> clientAddress) {
  public static final String TOKEN_EXCHANGE_GRANT =
      "urn:ietf:params:oauth:grant-type:token-exchange";
  public static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
  public static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
  public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

  public ExchangeRequest {
    Objects.requireNonNull(grantType, "grantType");
    Objects.requireNonNull(subjectToken, "subjectToken");
    Objects.requireNonNull(subjectTokenType, "subjectTokenType");
    Objects.requireNonNull(identityProviderId, "identityProviderId");
    Objects.requireNonNull(serviceAccountId, "serviceAccountId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientAddress, "clientAddress");
  }

  /** Never prints the subject token. */
  @Override
  public String toString() {
    return "ExchangeRequest[provider="
        + identityProviderId
        + ", serviceAccount="
        + serviceAccountId
        + ", subjectTokenType="
        + subjectTokenType
        + "]";
  }
}
