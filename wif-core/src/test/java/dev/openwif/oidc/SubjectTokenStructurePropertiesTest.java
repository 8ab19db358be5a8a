package dev.openwif.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing the verifier's structural parsing below the signature check: well-formed base64url
 * segments carrying arbitrary JSON-ish headers and payloads (odd numbers, escapes, nesting,
 * duplicates, lone surrogates), any number of segments. Whatever arrives, the only outcome is a
 * {@link TokenRejectedException} — never another exception, never a pass — and each input is judged
 * within a bounded time.
 */
class SubjectTokenStructurePropertiesTest {
  private static final Duration BOUND = Duration.ofMillis(250);
  private static final RSAKey KEY = TestKeys.rsa("k1");
  private static final KeySource KEYS =
      new UploadedJwksKeySource(new JWKSet(KEY.toPublicJWK()).toString());

  private final SubjectTokenVerifier verifier = new SubjectTokenVerifier(MutableClock.fixed());
  private final VerificationPolicy policy = VerificationPolicy.defaults("https://i.example", "a");

  @Property(tries = 500)
  void verifyWhenStructuredGarbageThenOnlyTokenRejectedQuickly(@ForAll("tokens") String token) {
    Throwable thrown = catchThrowable(() -> verifier.verify(token, policy, KEYS));
    assertThat(thrown).as("outcome of %s", shown(token)).isInstanceOf(TokenRejectedException.class);
    // The least of three timings: a slow input is slow every time, a busy machine's pause is not.
    Duration fastest = timed(token);
    for (int i = 0; i < 2 && fastest.compareTo(BOUND) >= 0; i++) {
      Duration again = timed(token);
      fastest = again.compareTo(fastest) < 0 ? again : fastest;
    }
    assertThat(fastest).as("verify time of %s", shown(token)).isLessThan(BOUND);
  }

  private Duration timed(String token) {
    long started = System.nanoTime();
    Throwable unused = catchThrowable(() -> verifier.verify(token, policy, KEYS));
    return Duration.ofNanos(System.nanoTime() - started);
  }

  @Provide
  Arbitrary<String> tokens() {
    Arbitrary<String> header = json(true);
    Arbitrary<String> payload = json(false);
    Arbitrary<String> signature =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(300)
            .map(SubjectTokenStructurePropertiesTest::b64);
    Arbitrary<String> three =
        Combinators.combine(header, payload, signature)
            .as((h, p, s) -> b64(h) + "." + b64(p) + "." + s);
    Arbitrary<String> anyCount =
        Combinators.combine(header, payload, Arbitraries.integers().between(0, 7))
            .as(
                (h, p, n) ->
                    String.join(".", java.util.Collections.nCopies(n, b64(h)))
                        + (n % 2 == 0 ? "." + b64(p) : ""));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, three),
        net.jqwik.api.Tuple.of(1, anyCount),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.strings().withChars("ABCabc012-_.=+/ ").ofMaxLength(200)));
  }

  /** JSON-ish objects: mostly valid, with hostile values; headers lean on JOSE member names. */
  private static Arbitrary<String> json(boolean header) {
    Arbitrary<String> names =
        header
            ? Arbitraries.of(
                "alg",
                "kid",
                "typ",
                "crit",
                "jku",
                "jwk",
                "x5u",
                "enc",
                "cty",
                "zip",
                "b64",
                "a\\u006cg",
                "")
            : Arbitraries.of(
                "iss", "aud", "sub", "exp", "iat", "nbf", "jti", "openai.team", "s\\u0075b", "x");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.of(
                "\"RS256\"",
                "\"none\"",
                "\"k1\"",
                "\"HS256\"",
                "\"ES256\"",
                "null",
                "true",
                "[]",
                "{}",
                "1e99999999999",
                "-1e-99999999999",
                "1E+2147483648",
                "123456789012345678901234567890",
                "1.5",
                "-0",
                "0.0000000000000000000001",
                "9223372036854775808",
                "\"\\ud800\"",
                "\"\\u0000\"",
                "\"a\\\"b\"",
                "[\"a\",[\"b\",{\"c\":[]}]]",
                "\"https://i.example\"",
                "\"a\"",
                "[\"a\",1]",
                "1e400",
                "-"),
            Arbitraries.strings()
                .withChars("{}[]\":,\\0123456789eE+-.truefalsn a\u00e9")
                .ofMaxLength(30),
            Arbitraries.integers().between(1, 60).map(n -> "[".repeat(n) + "]".repeat(n)));
    Arbitrary<String> member =
        Combinators.combine(names, values).as((n, v) -> "\"" + n + "\":" + v);
    return member
        .list()
        .ofMaxSize(8)
        .map(list -> "{" + String.join(",", list) + "}")
        .injectDuplicates(0.05)
        .edgeCases(
            e -> e.add(header ? "{\"alg\":\"RS256\",\"kid\":\"k1\"}" : "{\"exp\":1e99999999999}"));
  }

  private static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String shown(String token) {
    return token.length() > 200 ? token.substring(0, 200) + "..." : token;
  }
}
