package dev.openwif.server.sts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openwif.audit.AuditSink;
import dev.openwif.exchange.AccessTokenProfile;
import dev.openwif.exchange.InMemoryFederationDirectory;
import dev.openwif.exchange.TokenExchange;
import dev.openwif.federation.IdGenerator;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.policy.RuleMatcher;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.SigningKeys;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The security token service's routes: {@code POST /oauth/token} (exactly at the server root, never
 * under {@code /v1}), {@code GET /.well-known/openid-configuration} and the JWKS. The {@link
 * TokenExchange} is made on first use, because its issuer is the public URL, known once the
 * listener is bound. Thread-safe.
 */
public final class StsRoutes {
  private final ObjectMapper json;
  private final InMemoryFederationDirectory directory;
  private final SigningKeys signingKeys;
  private final AuditSink audit;
  private final IdGenerator ids;
  private final Clock clock;
  private final Supplier<AccessTokenProfile> profile;
  private final AdmissionControl admission;
  private final ExchangeRateLimiter limits;
  private volatile TokenExchange exchange;

  /**
   * @param profile issuer, audience and lifetime of minted tokens; read on the first request
   */
  public StsRoutes(
      ObjectMapper json,
      InMemoryFederationDirectory directory,
      SigningKeys signingKeys,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      Supplier<AccessTokenProfile> profile) {
    this(
        json,
        directory,
        signingKeys,
        audit,
        ids,
        clock,
        profile,
        ExchangeRateLimiter.withDefaults(clock));
  }

  /**
   * @param limits the token endpoint's rate limits per client address and per provider
   */
  public StsRoutes(
      ObjectMapper json,
      InMemoryFederationDirectory directory,
      SigningKeys signingKeys,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      Supplier<AccessTokenProfile> profile,
      ExchangeRateLimiter limits) {
    this(
        json,
        directory,
        signingKeys,
        audit,
        ids,
        clock,
        profile,
        AdmissionControl.forThisMachine(),
        limits);
  }

  StsRoutes(
      ObjectMapper json,
      InMemoryFederationDirectory directory,
      SigningKeys signingKeys,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      Supplier<AccessTokenProfile> profile,
      AdmissionControl admission) {
    this(
        json,
        directory,
        signingKeys,
        audit,
        ids,
        clock,
        profile,
        admission,
        ExchangeRateLimiter.withDefaults(clock));
  }

  StsRoutes(
      ObjectMapper json,
      InMemoryFederationDirectory directory,
      SigningKeys signingKeys,
      AuditSink audit,
      IdGenerator ids,
      Clock clock,
      Supplier<AccessTokenProfile> profile,
      AdmissionControl admission,
      ExchangeRateLimiter limits) {
    this.admission = Objects.requireNonNull(admission, "admission");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.json = Objects.requireNonNull(json, "json");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.profile = Objects.requireNonNull(profile, "profile");
  }

  public void register(HttpRouting.Builder routing) {
    TokenEndpoint token =
        new TokenEndpoint(
            this::exchange,
            new TokenRequestParser(),
            admission,
            limits,
            id -> directory.snapshot().provider(id).isPresent(),
            new TokenResponses(json));
    DiscoveryEndpoints discovery =
        new DiscoveryEndpoints(json, () -> profile.get().issuer(), signingKeys::publicJwksJson);
    routing.post(DiscoveryEndpoints.TOKEN_PATH, token);
    routing.get(DiscoveryEndpoints.DISCOVERY_PATH, discovery::configuration);
    routing.get(DiscoveryEndpoints.JWKS_PATH, discovery::jwks);
  }

  private TokenExchange exchange() {
    TokenExchange made = exchange;
    if (made == null) {
      synchronized (this) {
        made = exchange;
        if (made == null) {
          made =
              new TokenExchange(
                  directory,
                  new SubjectTokenVerifier(clock),
                  new RuleMatcher(),
                  new AccessTokenMinter(signingKeys, clock),
                  audit,
                  ids,
                  clock,
                  profile.get());
          exchange = made;
        }
      }
    }
    return made;
  }
}
