package dev.openwif.oidc;

import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * One discovery round trip (OpenID Connect Discovery 1.0 §4): fetch the configuration document,
 * check that its {@code issuer} equals the provider's issuer exactly (§4.3), then fetch and read
 * {@code jwks_uri}. Every refusal is an {@link IOException} whose message says what was wrong.
 * Stateless.
 */
final class IssuerKeysFetch {
  private IssuerKeysFetch() {}

  static Map<String, JWK> fetch(String issuer, URI discoveryUri, JwksFetcher fetcher)
      throws IOException {
    Map<String, Object> configuration =
        jsonObject(fetcher.fetch(discoveryUri), "discovery document", discoveryUri);
    Object advertised = configuration.get("issuer");
    if (!(advertised instanceof String advertisedIssuer) || !advertisedIssuer.equals(issuer)) {
      throw new IOException(
          "the discovery document at "
              + discoveryUri
              + " names issuer "
              + (advertised instanceof String s ? HeaderRules.printable(s) : "(none)")
              + ", the provider's issuer is "
              + issuer);
    }
    if (!(configuration.get("jwks_uri") instanceof String jwksUriText)) {
      throw new IOException(
          "the discovery document at " + discoveryUri + " has no jwks_uri string");
    }
    URI jwksUri;
    try {
      jwksUri = new URI(jwksUriText);
    } catch (java.net.URISyntaxException e) {
      throw new IOException("the jwks_uri " + HeaderRules.printable(jwksUriText) + " is not a URI");
    }
    if (!jwksUri.isAbsolute()) {
      throw new IOException(
          "the jwks_uri " + HeaderRules.printable(jwksUriText) + " is not absolute");
    }
    FetchedDocument jwks = fetcher.fetch(jwksUri);
    requireJson(jwks, "JWKS", jwksUri);
    try {
      return JwksDocument.keysByKid(jwks.body());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage() + " (" + jwksUri + ")");
    }
  }

  /**
   * The discovery URL of an issuer: {@code {issuer}/.well-known/openid-configuration}, trailing
   * slash removed (§4).
   */
  static URI defaultDiscoveryUri(String issuer) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    return URI.create(base + "/.well-known/openid-configuration");
  }

  private static Map<String, Object> jsonObject(FetchedDocument document, String what, URI uri)
      throws IOException {
    requireJson(document, what, uri);
    try {
      return StrictJson.parseObject(document.body());
    } catch (StrictJson.DuplicateMemberException e) {
      throw new IOException(
          "the " + what + " at " + uri + " names member \"" + e.member() + "\" twice");
    } catch (StrictJson.MalformedJsonException e) {
      throw new IOException(
          "the " + what + " at " + uri + " is not a JSON object: " + e.getMessage());
    }
  }

  private static void requireJson(FetchedDocument document, String what, URI uri)
      throws IOException {
    if (document.status() != 200) {
      throw new IOException("the " + what + " at " + uri + " answered HTTP " + document.status());
    }
    if (!document.isJson()) {
      throw new IOException(
          "the "
              + what
              + " at "
              + uri
              + " has content type "
              + (document.contentType().isEmpty()
                  ? "(none)"
                  : HeaderRules.printable(document.contentType()))
              + ", not JSON");
    }
  }
}
