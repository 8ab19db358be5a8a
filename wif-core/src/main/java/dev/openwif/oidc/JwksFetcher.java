package dev.openwif.oidc;

import java.io.IOException;
import java.net.URI;

/**
 * Fetches a discovery document or a JWKS. The production implementation ({@code HttpJwksFetcher} in
 * the server) enforces https, refuses private targets, caps size and time; tests use an in-memory
 * fake. Implementations are thread-safe.
 */
public interface JwksFetcher {
  /**
   * Fetches {@code uri}.
   *
   * @return the answer, whatever its status (the caller judges status and content type)
   * @throws IOException when no answer could be obtained (refused target, timeout, too large, ...)
   */
  FetchedDocument fetch(URI uri) throws IOException;
}
