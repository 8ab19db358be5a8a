package dev.openwif.server.dashboard;

import dev.openwif.federation.AdminValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The write-time SSRF check the admin API makes on a provider's issuer and discovery URL, with the
 * same wording: outside {@code --dev} a URL the server may not fetch is refused beside its field.
 * Malformed URLs are left to the core's validator. Thread-safe.
 */
final class UrlCheck {
  private final Function<URI, Optional<String>> refusal;

  UrlCheck(Function<URI, Optional<String>> refusal) {
    this.refusal = refusal;
  }

  void check(ProviderForm form) {
    check("issuer", form.issuer());
    if (form.verification().equals(ProviderForm.DISCOVERY) && !form.discoveryUrl().isEmpty()) {
      check("verification.discovery_url", form.discoveryUrl());
    }
  }

  private void check(String param, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return;
    }
    if (!uri.isAbsolute()) {
      return;
    }
    refusal
        .apply(uri)
        .ifPresent(
            reason -> {
              throw new AdminValidationException(param, param + " is refused: " + reason + ".");
            });
  }
}
