package dev.openwif.server.admin;

import dev.openwif.federation.Verification;
import dev.openwif.federation.admin.ProviderDraft;
import dev.openwif.federation.admin.ProviderPatch;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The SSRF guard at write time: refuses a provider whose issuer or discovery URL the server may not
 * fetch (outside {@code --dev}: non-https, or a host that is or resolves to a loopback, private,
 * link-local — cloud metadata — or otherwise non-public address), with a 400 naming the field and
 * saying why. Fetches are guarded again ({@code HttpJwksFetcher}), also for {@code jwks_uri} and
 * redirects; this check makes the admin see the problem when saving. Malformed URLs are left to the
 * core validator. Thread-safe.
 */
final class ProviderUrlCheck {
  private final Function<URI, Optional<String>> refusal;

  /**
   * @param refusal why a URL may not be configured (empty when it may), e.g. the outbound URL
   *     guard's
   */
  ProviderUrlCheck(Function<URI, Optional<String>> refusal) {
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  /** Allows every URL (dev mode). */
  static ProviderUrlCheck none() {
    return new ProviderUrlCheck(uri -> Optional.empty());
  }

  void check(ProviderDraft draft) {
    check("issuer", draft.issuer());
    discoveryUrl(draft.verification()).ifPresent(url -> check("verification.discovery_url", url));
  }

  void check(ProviderPatch patch) {
    patch.issuer().ifPresent(issuer -> check("issuer", issuer));
    patch
        .verification()
        .flatMap(ProviderUrlCheck::discoveryUrl)
        .ifPresent(url -> check("verification.discovery_url", url));
  }

  private static Optional<String> discoveryUrl(Verification verification) {
    return verification instanceof Verification.Discovery d ? d.discoveryUrl() : Optional.empty();
  }

  private void check(String param, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return; // the core validator names the syntax problem
    }
    if (!uri.isAbsolute()) {
      return;
    }
    refusal
        .apply(uri)
        .ifPresent(
            reason -> {
              throw BadRequestException.field(param, param + " is refused: " + reason + ".");
            });
  }
}
