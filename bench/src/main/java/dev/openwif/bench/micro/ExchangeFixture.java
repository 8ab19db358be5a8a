package dev.openwif.bench.micro;

import dev.openwif.audit.AuditSink;
import dev.openwif.directory.InMemoryFederationDirectory;
import dev.openwif.exchange.ExchangeRequest;
import dev.openwif.exchange.TokenExchange;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.Project;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.ServiceAccount;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import dev.openwif.oidc.DiscoverySettings;
import dev.openwif.oidc.FetchedDocument;
import dev.openwif.oidc.KeySources;
import dev.openwif.oidc.SubjectTokenVerifier;
import dev.openwif.policy.RuleMatcher;
import dev.openwif.store.JdbcFederationStore;
import dev.openwif.store.Stores;
import dev.openwif.token.AccessTokenMinter;
import dev.openwif.token.AccessTokenProfile;
import dev.openwif.token.SigningKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * One server's exchange path, wired like the server's composition root ({@code
 * dev.openwif.server.Main}): the federation configuration in a real SQLite store (temporary file),
 * read once into the {@link InMemoryFederationDirectory}; a provider with an uploaded JWKS (no
 * network), one CEL transformation and one rule matching {@code sub} and the derived attribute; the
 * server's ES256 {@link SigningKeys}. Audit events go to a counting sink, so the figures are the
 * exchange's own CPU cost, not the database's.
 */
final class ExchangeFixture implements AutoCloseable {
  static final String SERVER = "https://openwif.bench";
  static final String API = SERVER + "/v1";
  static final String AUDIENCE = "https://openwif.bench/wip_bench";
  static final String PROVIDER_ID = "wip_bench";
  static final String ACCOUNT_ID = "svc_bench";

  /**
   * Held so the level set on it stays: the store's migrations would otherwise log into the JMH
   * output.
   */
  private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

  final Clock clock = Clock.systemUTC();
  final GoogleLikeIssuer issuer = new GoogleLikeIssuer(AUDIENCE);
  final LongAdder auditEvents = new LongAdder();
  final AuditSink audit = event -> auditEvents.increment();
  final AccessTokenProfile profile = new AccessTokenProfile(SERVER, API, Duration.ofHours(1));
  final SubjectTokenVerifier subjectVerifier = new SubjectTokenVerifier(clock);
  final InMemoryFederationDirectory directory;
  final SigningKeys signingKeys;
  final AccessTokenMinter minter;
  private final Path dir;
  private final JdbcFederationStore store;

  ExchangeFixture() throws IOException {
    FLYWAY_LOG.setLevel(Level.WARNING);
    dir = Files.createTempDirectory("wif-bench-");
    store = Stores.open(dir.resolve("bench.db").toString());
    configure();
    directory =
        new InMemoryFederationDirectory(
            store.providers(),
            store.rules(),
            store.serviceAccounts(),
            store.projects(),
            provider ->
                KeySources.forProvider(
                    provider, ExchangeFixture::noNetwork, clock, DiscoverySettings.defaults()));
    directory.federationChanged();
    signingKeys = new SigningKeys(store.signingKeys(), clock);
    minter = new AccessTokenMinter(signingKeys, clock);
  }

  /** The exchange as {@code StsRoutes} builds it. */
  TokenExchange tokenExchange() {
    return new TokenExchange(
        directory,
        subjectVerifier,
        new RuleMatcher(),
        minter,
        audit,
        new RandomIdGenerator(),
        clock,
        profile);
  }

  /** A fresh subject token valid for an hour. */
  String subjectToken() {
    return issuer.token(clock.instant(), Duration.ofHours(1));
  }

  ExchangeRequest request(String subjectToken) {
    return new ExchangeRequest(
        ExchangeRequest.TOKEN_EXCHANGE_GRANT,
        subjectToken,
        ExchangeRequest.JWT_TOKEN_TYPE,
        PROVIDER_ID,
        ACCOUNT_ID,
        Optional.empty(),
        Optional.of("127.0.0.1"));
  }

  private void configure() {
    Instant now = clock.instant();
    store.projects().insert(new Project("proj_bench", "bench", now, Optional.empty()));
    store
        .serviceAccounts()
        .insert(new ServiceAccount(ACCOUNT_ID, "proj_bench", "bench worker", "member", now));
    store
        .providers()
        .insert(
            new WorkloadIdentityProvider(
                PROVIDER_ID,
                "bench-google",
                Optional.empty(),
                GoogleLikeIssuer.ISSUER,
                AUDIENCE,
                true,
                List.of(
                    new AttributeTransformation(
                        "project", "assertion.google.compute_engine.project_id")),
                new Verification.UploadedJwks(issuer.publicJwksJson()),
                false,
                now,
                now));
    store
        .rules()
        .insert(
            new FederationRule(
                "wifr_bench",
                PROVIDER_ID,
                Optional.of("bench rule"),
                Optional.empty(),
                true,
                Map.of(
                    "sub", GoogleLikeIssuer.SUBJECT, "openai.project", GoogleLikeIssuer.PROJECT_ID),
                "proj_bench",
                ACCOUNT_ID,
                new Permissions.Restricted(Set.of("api.model.request")),
                false,
                now,
                now));
  }

  private static FetchedDocument noNetwork(URI uri) throws IOException {
    throw new IOException(
        "the benchmark provider uses an uploaded JWKS; no fetch expected for " + uri);
  }

  @Override
  public void close() throws IOException {
    directory.close();
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
