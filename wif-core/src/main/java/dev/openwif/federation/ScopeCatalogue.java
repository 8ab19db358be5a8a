package dev.openwif.federation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The documented catalogue of scopes a federation rule may restrict an access token to, with what
 * each allows. The gateway maps every {@code /v1} route to exactly one of these.
 */
public final class ScopeCatalogue {
  /** Scope name to a one-line description, in documentation order. */
  public static final Map<String, String> SCOPES;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("api.model.read", "List and retrieve models (GET /v1/models, GET /v1/models/{id}).");
    m.put(
        "api.model.request",
        "Request model output (POST /v1/responses, POST /v1/chat/completions).");
    m.put("api.vector_store.read", "Read vector stores (GET /v1/vector_stores...).");
    m.put("api.vector_store.write", "Create, change and delete vector stores.");
    m.put("api.files.read", "List and read files (GET /v1/files...).");
    m.put("api.files.write", "Upload and delete files.");
    SCOPES = Collections.unmodifiableMap(m);
  }

  /** Every scope of the catalogue: what {@code service_account_default} grants. */
  public static final Set<String> ALL = Set.copyOf(SCOPES.keySet());

  private ScopeCatalogue() {}

  public static boolean contains(String scope) {
    return SCOPES.containsKey(scope);
  }
}
