package dev.openwif.server.sts;

import dev.openwif.federation.AdminKey;
import dev.openwif.server.sts.IntrospectionRequest.ClientCredentials;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code POST /oauth/introspect} (RFC 7662 §2.1): an {@code
 * application/x-www-form-urlencoded} body with {@code token} and optional {@code token_type_hint},
 * and the caller's credentials, either HTTP Basic ({@code client_secret_basic}: {@code client_id}
 * and secret each form-url-encoded, then joined by {@code :} and base64-encoded, RFC 6749 §2.3.1)
 * or {@code client_id} and {@code client_secret} in the body ({@code client_secret_post}).
 *
 * <p>Strict like the token endpoint: a repeated parameter, invalid UTF-8 or percent-encoding, or
 * another content type is {@code invalid_request}; so is using both methods at once (RFC 6749 §2.3:
 * at most one authentication method per request). An empty value counts as absent; unknown
 * parameters are ignored. Thread-safe (stateless).
 */
final class IntrospectionRequestParser {
  static final String TOKEN = "token";
  static final String TOKEN_TYPE_HINT = "token_type_hint";
  static final String CLIENT_ID = "client_id";
  static final String CLIENT_SECRET = "client_secret";
  static final String BASIC = "client_secret_basic";
  static final String POST = "client_secret_post";

  private static final String FORM = "application/x-www-form-urlencoded";

  IntrospectionRequest parse(
      Optional<String> contentType, Optional<String> authorization, byte[] body) {
    String mediaType = contentType.map(FormBody::mediaType).orElse("");
    if (!mediaType.equals(FORM)) {
      return new IntrospectionRequest.Malformed("Content-Type must be " + FORM + ".");
    }
    Map<String, String> params;
    try {
      params = FormBody.parameters(body);
    } catch (FormBody.Malformed e) {
      return new IntrospectionRequest.Malformed(e.getMessage());
    }
    boolean inBody = params.containsKey(CLIENT_ID) || params.containsKey(CLIENT_SECRET);
    if (authorization.isPresent() && inBody) {
      return new IntrospectionRequest.Malformed(
          "Authenticate with one method only: HTTP Basic or client_id and client_secret in the"
              + " body, not both.");
    }
    ClientCredentials credentials =
        authorization.isPresent() ? fromHeader(authorization.get()) : fromBody(params);
    if (credentials instanceof ClientCredentials.Secret secret
        && (adminKeyShaped(secret.secret()) || adminKeyShaped(secret.clientId()))) {
      credentials = new ClientCredentials.AdminKey();
    }
    return new IntrospectionRequest.Parsed(
        Optional.ofNullable(params.get(TOKEN)),
        Optional.ofNullable(params.get(TOKEN_TYPE_HINT)),
        credentials);
  }

  private static ClientCredentials fromBody(Map<String, String> params) {
    String id = params.get(CLIENT_ID);
    String secret = params.get(CLIENT_SECRET);
    if (id == null && secret == null) {
      return new ClientCredentials.None();
    }
    if (id == null || secret == null) {
      return new ClientCredentials.Unusable(
          "client_secret_post needs both client_id and client_secret");
    }
    return new ClientCredentials.Secret(POST, id, secret);
  }

  private static ClientCredentials fromHeader(String header) {
    String value = header.strip();
    int space = value.indexOf(' ');
    String scheme = space < 0 ? value : value.substring(0, space);
    if (scheme.equalsIgnoreCase("Bearer")
        && space > 0
        && adminKeyShaped(value.substring(space + 1).strip())) {
      return new ClientCredentials.AdminKey();
    }
    if (!scheme.equalsIgnoreCase("Basic")) {
      return new ClientCredentials.Unusable(
          "the Authorization scheme is " + printable(scheme) + ", not Basic");
    }
    String encoded = space < 0 ? "" : value.substring(space + 1).strip();
    String decoded;
    try {
      decoded = FormBody.strictUtf8(Base64.getDecoder().decode(encoded));
    } catch (IllegalArgumentException | FormBody.Malformed e) {
      return new ClientCredentials.Unusable("the Basic credentials are not valid base64 UTF-8");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return new ClientCredentials.Unusable("the Basic credentials have no ':'");
    }
    try {
      String id = FormBody.decode(decoded.substring(0, colon));
      String secret = FormBody.decode(decoded.substring(colon + 1));
      if (id.isEmpty() || secret.isEmpty()) {
        return new ClientCredentials.Unusable("the Basic client_id or secret is empty");
      }
      return new ClientCredentials.Secret(BASIC, id, secret);
    } catch (FormBody.Malformed e) {
      return new ClientCredentials.Unusable(
          "the Basic credentials have an invalid percent-encoding");
    }
  }

  /** OpenWIF's admin keys and OpenAI's admin key shape; only the shape is looked at. */
  static boolean adminKeyShaped(String credential) {
    return credential.startsWith(AdminKey.SECRET_PREFIX) || credential.startsWith("sk-admin-");
  }

  /** A scheme name for a log line: at most 20 characters, letters and digits only. */
  private static String printable(String scheme) {
    String cut = scheme.length() > 20 ? scheme.substring(0, 20) : scheme;
    return cut.chars().allMatch(Character::isLetterOrDigit) ? cut : "(unprintable)";
  }
}
