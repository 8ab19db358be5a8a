package dev.openwif.server.gateway;

import dev.openwif.federation.AdminKey;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises a bearer credential shaped like an admin key: the keys OpenWIF makes ({@value
 * AdminKey#SECRET_PREFIX}...) and OpenAI's admin key shape ({@code sk-admin-...}), which operators
 * also use for {@code WIF_BOOTSTRAP_ADMIN_KEY}. Only the shape is looked at, never the database, so
 * the answer says nothing about whether the key is valid.
 */
final class AdminKeyShape {
  private static final String BEARER = "bearer ";

  private AdminKeyShape() {}

  static boolean presentedIn(ServerRequest req) {
    Optional<String> header = req.headers().value(HeaderNames.AUTHORIZATION);
    if (header.isEmpty()
        || header.get().length() <= BEARER.length()
        || !header.get().substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return false;
    }
    String credential = header.get().substring(BEARER.length()).strip();
    return credential.startsWith(AdminKey.SECRET_PREFIX) || credential.startsWith("sk-admin-");
  }
}
