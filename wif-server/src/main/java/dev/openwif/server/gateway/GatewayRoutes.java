package dev.openwif.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.exchange.AccessTokenProfile;
import dev.openwif.exchange.InMemoryFederationDirectory;
import dev.openwif.federation.IdGenerator;
import dev.openwif.server.http.OpenAiErrorWriter;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.SigningKeys;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The OpenAI-compatible API under {@code /v1} (first cut): every route behind {@link BearerGuard}
 * with the scope {@link RouteScopes} documents. Register after the admin API so {@code
 * /v1/organization} stays with it. The gateway reads the federation configuration only from the
 * in-memory directory, never the store. Thread-safe.
 */
public final class GatewayRoutes {
  /**
   * Verified access tokens kept in memory (each entry is small; bounded so memory stays bounded).
   */
  static final int VERIFIED_TOKEN_CACHE = 100_000;

  private final ObjectMapper json;
  private final OpenAiErrorWriter errors;
  private final InMemoryFederationDirectory directory;
  private final SigningKeys signingKeys;
  private final IdGenerator ids;
  private final Clock clock;
  private final Supplier<AccessTokenProfile> profile;
  private volatile AccessTokenVerifier verifier;

  public GatewayRoutes(
      ObjectMapper json,
      OpenAiErrorWriter errors,
      InMemoryFederationDirectory directory,
      SigningKeys signingKeys,
      IdGenerator ids,
      Clock clock,
      Supplier<AccessTokenProfile> profile) {
    this.json = Objects.requireNonNull(json, "json");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.profile = Objects.requireNonNull(profile, "profile");
  }

  public void register(HttpRouting.Builder routing) {
    BearerGuard guard = new BearerGuard(this::verifier, directory, errors);
    ModelsEndpoint models = new ModelsEndpoint(json, errors);
    ResponsesEndpoint responses = new ResponsesEndpoint(json, errors, new DemoModel(), ids, clock);
    routing.get("/v1/models", guard.requiring(RouteScopes.MODEL_READ, models::list));
    routing.get("/v1/models/{id}", guard.requiring(RouteScopes.MODEL_READ, models::retrieve));
    routing.post("/v1/responses", guard.requiring(RouteScopes.MODEL_REQUEST, responses::create));
  }

  private AccessTokenVerifier verifier() {
    AccessTokenVerifier made = verifier;
    if (made == null) {
      synchronized (this) {
        made = verifier;
        if (made == null) {
          AccessTokenProfile p = profile.get();
          made =
              new AccessTokenVerifier(
                  signingKeys, clock, p.issuer(), p.audience(), VERIFIED_TOKEN_CACHE);
          verifier = made;
        }
      }
    }
    return made;
  }
}
