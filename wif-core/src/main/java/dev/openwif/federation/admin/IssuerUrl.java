package dev.openwif.federation.admin;

import dev.openwif.federation.AdminValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks URLs an admin gives for an issuer or a discovery document: absolute, {@code https} (also
 * {@code http} in dev mode), with a host, without user info, query or fragment (OIDC Discovery 1.0
 * §3: the issuer "MUST use the https scheme ... with no query or fragment components"). Outside dev
 * mode a loopback host ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) is refused too. Names
 * are not resolved here; the JWKS fetcher guards the addresses it connects to. Stateless,
 * thread-safe.
 */
public final class IssuerUrl {
  private IssuerUrl() {}

  /** Validates {@code value}, reporting problems against the request field {@code param}. */
  public static void check(String param, String value, boolean dev) {
    if (value.isBlank()) {
      throw new AdminValidationException(param, param + " must not be empty.");
    }
    if (value.length() > 2048) {
      throw new AdminValidationException(param, param + " must be at most 2048 characters.");
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new AdminValidationException(
          param, param + " is not a valid URL: " + e.getReason() + ".");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("https") || (dev && scheme.equals("http")))) {
      throw new AdminValidationException(
          param,
          param
              + " must be an https URL"
              + (dev ? " (or http in dev mode)." : "; http is allowed only with --dev."));
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new AdminValidationException(param, param + " must have a host.");
    }
    if (uri.getRawUserInfo() != null) {
      throw new AdminValidationException(param, param + " must not contain user information.");
    }
    if (uri.getRawQuery() != null) {
      throw new AdminValidationException(param, param + " must not have a query component.");
    }
    if (uri.getRawFragment() != null) {
      throw new AdminValidationException(param, param + " must not have a fragment component.");
    }
    if (!dev && isLoopback(uri.getHost())) {
      throw new AdminValidationException(
          param, param + " must not point to a loopback host outside --dev mode.");
    }
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }
}
