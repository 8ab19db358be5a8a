package dev.openwif.federation;

import java.util.Objects;
import java.util.Optional;

/** How a provider's subject tokens are verified: keys from OIDC discovery, or an uploaded JWKS. */
public sealed interface Verification {

  /**
   * Keys from {@code {issuer}/.well-known/openid-configuration}, or from {@code discoveryUrl} when
   * set.
   */
  record Discovery(Optional<String> discoveryUrl) implements Verification {
    public Discovery {
      Objects.requireNonNull(discoveryUrl, "discoveryUrl");
    }
  }

  /** A JWKS uploaded by the admin, kept as its JSON text (public keys only; validated on save). */
  record UploadedJwks(String jwksJson) implements Verification {
    public UploadedJwks {
      Objects.requireNonNull(jwksJson, "jwksJson");
    }
  }
}
