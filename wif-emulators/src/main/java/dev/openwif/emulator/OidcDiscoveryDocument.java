package dev.openwif.emulator;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The OpenID Provider metadata an issuer serves at {@code
 * {issuer}/.well-known/openid-configuration} (OpenID Connect Discovery 1.0 §3 and §4), restricted
 * to what an ID-token-only issuer such as a Kubernetes cluster or Google's metadata server needs:
 * no authorization or token endpoint.
 */
public record OidcDiscoveryDocument(String issuer, String jwksUri) {
  /** The path, relative to the issuer, where the document is served (Discovery 1.0 §4). */
  public static final String PATH = "/.well-known/openid-configuration";

  public OidcDiscoveryDocument {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(jwksUri, "jwksUri");
    if (issuer.endsWith("/")) {
      throw new IllegalArgumentException("issuer must not end with '/': " + issuer);
    }
  }

  /** The document as a JSON object. */
  public String toJson() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("issuer", issuer);
    document.put("jwks_uri", jwksUri);
    document.put("response_types_supported", List.of("id_token"));
    document.put("subject_types_supported", List.of("public"));
    document.put("id_token_signing_alg_values_supported", List.of("RS256"));
    return JSONObjectUtils.toJSONString(document);
  }
}
