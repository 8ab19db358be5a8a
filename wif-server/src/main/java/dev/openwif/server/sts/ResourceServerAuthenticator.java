package dev.openwif.server.sts;

import java.util.Optional;

/**
 * Checks a resource server's {@code client_id} and secret for {@code POST /oauth/introspect}; the
 * composition root backs it with the resource-server admin use case. Implementations are
 * thread-safe and compare secrets in constant time.
 */
@FunctionalInterface
public interface ResourceServerAuthenticator {
  /** The resource server's id when {@code secret} is its secret, else empty. */
  Optional<String> authenticate(String clientId, String secret);
}
