package dev.openwif.federation;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** What an access token minted through a rule may do. */
public sealed interface Permissions {

  /**
   * No WIF-specific restriction: the token authorizes as the mapped service account (all scopes).
   */
  record ServiceAccountDefault() implements Permissions {}

  /** Only the listed scopes (each from {@link ScopeCatalogue}). */
  record Restricted(Set<String> scopes) implements Permissions {
    public Restricted {
      scopes = Collections.unmodifiableSet(new TreeSet<>(scopes));
    }
  }

  /** The scopes an access token minted under these permissions carries. */
  default Set<String> grantedScopes() {
    return switch (this) {
      case ServiceAccountDefault d -> ScopeCatalogue.ALL;
      case Restricted r -> r.scopes();
    };
  }
}
