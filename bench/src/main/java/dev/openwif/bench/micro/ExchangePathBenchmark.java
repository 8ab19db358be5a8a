package dev.openwif.bench.micro;

import dev.openwif.exchange.ExchangeOutcome;
import dev.openwif.exchange.ExchangeRequest;
import dev.openwif.exchange.TokenExchange;
import dev.openwif.oidc.KeySource;
import dev.openwif.oidc.UploadedJwksKeySource;
import dev.openwif.oidc.VerificationPolicy;
import dev.openwif.oidc.VerifiedSubjectToken;
import dev.openwif.testkit.TestCrypto;
import dev.openwif.token.AccessTokenClaims;
import dev.openwif.token.AccessTokenVerifier;
import dev.openwif.token.MintedAccessToken;
import dev.openwif.token.VerifiedAccessToken;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The server's per-request costs, one thread, as operations per second (the run script also prints
 * microseconds per operation):
 *
 * <ul>
 *   <li>{@code subjectTokenVerify}: RS256 parse + signature + claim checks of a Google-sized ID
 *       token;
 *   <li>{@code accessTokenMint}: ES256 sign of an access token, including the re-verification the
 *       minter does right after signing;
 *   <li>{@code tokenExchange}: the whole {@link TokenExchange#exchange} (snapshot lookup, verify,
 *       CEL transformation, rule match, mint, audit event);
 *   <li>{@code gatewayVerifyCached}: the {@code /v1} gateway's {@link AccessTokenVerifier} on a
 *       token it has already verified (SHA-256 + cache lookup + {@code exp} check);
 *   <li>{@code gatewayVerifyUncached}: the same verifier when every call misses (cache of one
 *       entry, two tokens alternating): a full ES256 verification, what the cache saves.
 * </ul>
 *
 * The subject token is reused: the verifier has no per-token cache and the provider has no replay
 * protection (the server default), so each call does the full work. Every result is checked once in
 * setup so a benchmark of a refusal cannot pass for a benchmark of the work. The crypto is native
 * (Amazon Corretto Crypto Provider) unless {@code WIF_NATIVE_CRYPTO=off}, as in the server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExchangePathBenchmark {
  private ExchangeFixture fixture;
  private TokenExchange exchange;
  private ExchangeRequest request;
  private String subjectToken;
  private VerificationPolicy policy;
  private KeySource keys;
  private AccessTokenVerifier cachedVerifier;
  private AccessTokenVerifier missingVerifier;
  private String accessToken;
  private String[] alternating;
  private int next;

  @Setup(Level.Trial)
  public void wire() throws IOException {
    // the same switch as the server and the tests: native crypto unless WIF_NATIVE_CRYPTO=off
    boolean nativeCrypto = TestCrypto.installAsSwitched();
    if (TestCrypto.nativeWanted() && !nativeCrypto) {
      throw new IllegalStateException(
          "native crypto was asked for but did not load; WIF_NATIVE_CRYPTO=off measures the JDK's");
    }
    System.out.println(
        "crypto: " + (nativeCrypto ? "native (Amazon Corretto Crypto Provider)" : "JDK providers"));
    fixture = new ExchangeFixture();
    exchange = fixture.tokenExchange();
    subjectToken = fixture.subjectToken();
    request = fixture.request(subjectToken);
    policy = VerificationPolicy.defaults(GoogleLikeIssuer.ISSUER, ExchangeFixture.AUDIENCE);
    keys = new UploadedJwksKeySource(fixture.issuer.publicJwksJson());
    cachedVerifier = verifier(10_000);
    missingVerifier = verifier(1);
    accessToken = issuedToken();
    alternating = new String[] {issuedToken(), issuedToken()};
    checkEveryPathSucceeds();
  }

  private AccessTokenVerifier verifier(int cacheSize) {
    return new AccessTokenVerifier(
        fixture.signingKeys, fixture.clock, ExchangeFixture.SERVER, ExchangeFixture.API, cacheSize);
  }

  private String issuedToken() {
    if (exchange.exchange(fixture.request(fixture.subjectToken()))
        instanceof ExchangeOutcome.Issued issued) {
      return issued.accessToken();
    }
    throw new IllegalStateException("the benchmark exchange was refused; the fixture is wrong");
  }

  private void checkEveryPathSucceeds() {
    if (!(exchange.exchange(request) instanceof ExchangeOutcome.Issued)) {
      throw new IllegalStateException("the benchmark exchange was refused");
    }
    if (!subjectTokenVerify().subject().equals(Optional.of(GoogleLikeIssuer.SUBJECT))) {
      throw new IllegalStateException("the subject token verified with the wrong subject");
    }
    if (!gatewayVerifyCached().subject().equals(ExchangeFixture.ACCOUNT_ID)
        || !gatewayVerifyUncached().subject().equals(ExchangeFixture.ACCOUNT_ID)) {
      throw new IllegalStateException("the access token verified with the wrong subject");
    }
    accessTokenMint();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    fixture.close();
  }

  @Benchmark
  public VerifiedSubjectToken subjectTokenVerify() {
    return fixture.subjectVerifier.verify(subjectToken, policy, keys);
  }

  @Benchmark
  public MintedAccessToken accessTokenMint() {
    Instant now = fixture.clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return fixture.minter.mint(
        new AccessTokenClaims(
            ExchangeFixture.SERVER,
            ExchangeFixture.ACCOUNT_ID,
            ExchangeFixture.API,
            now,
            now.plusSeconds(3600),
            "at_" + UUID.randomUUID(),
            Set.of("api.model.request"),
            ExchangeFixture.PROVIDER_ID,
            "wifr_bench",
            "proj_bench",
            GoogleLikeIssuer.SUBJECT,
            Optional.empty()));
  }

  @Benchmark
  public ExchangeOutcome tokenExchange() {
    return exchange.exchange(request);
  }

  @Benchmark
  public VerifiedAccessToken gatewayVerifyCached() {
    return cachedVerifier.verify(accessToken);
  }

  @Benchmark
  public VerifiedAccessToken gatewayVerifyUncached() {
    next ^= 1;
    return missingVerifier.verify(alternating[next]);
  }
}
