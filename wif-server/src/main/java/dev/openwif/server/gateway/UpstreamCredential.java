package dev.openwif.server.gateway;

import java.util.Optional;

/**
 * An upstream key that is a short-lived token this server obtains for itself and renews, such as an
 * access token exchanged for the platform's identity token ({@code --upstream-identity-provider-id}
 * and its companions). The composition root supplies the implementation; the gateway only asks for
 * the current token, reports the one the upstream refused, and reads the state for {@code /readyz}
 * and {@code /metrics}. Implementations never print or log the token. Thread-safe.
 */
public non-sealed interface UpstreamCredential extends UpstreamKey {

  /**
   * A valid token, from a cache when possible; waits for an exchange when none is cached.
   *
   * @throws UpstreamCredentialException when no valid token is cached and none can be obtained
   */
  @Override
  Optional<String> current();

  /**
   * The upstream answered 401 to {@code token}: it is dropped if it is still the cached one, so
   * that the next {@link #current()} exchanges again. Implementations drop at most one token a
   * second, so an upstream that refuses every token costs one exchange a second, not one per
   * request.
   */
  void rejected(String token);

  /** What is known now, without waiting and without an exchange. */
  UpstreamCredentialState state();

  /** How logs and the startup summary name it (never the token). */
  String description();
}
