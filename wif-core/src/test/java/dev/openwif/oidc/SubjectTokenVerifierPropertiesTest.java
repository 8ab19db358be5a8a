package dev.openwif.oidc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Fail-closed properties: whatever arrives, the verifier answers with a rejection, never a crash or
 * a pass.
 */
class SubjectTokenVerifierPropertiesTest {
  private static final MutableClock CLOCK = MutableClock.fixed();
  private static final RSAKey KEY = TestKeys.rsa("k1");
  private static final KeySource KEYS =
      new UploadedJwksKeySource(new JWKSet(KEY.toPublicJWK()).toString());
  private static final long NOW = CLOCK.instant().getEpochSecond();
  private static final String VALID =
      TokenBuilder.signedBy(KEY)
          .claims(
              Map.of(
                  "iss", "https://i.example", "aud", "a", "sub", "s", "iat", NOW, "exp", NOW + 600))
          .build();
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";

  private final SubjectTokenVerifier verifier = new SubjectTokenVerifier(CLOCK);
  private final VerificationPolicy policy = VerificationPolicy.defaults("https://i.example", "a");

  @Property(tries = 300)
  void verifyWhenArbitraryTextThenOnlyTokenRejected(@ForAll @StringLength(max = 400) String text) {
    assertThatThrownBy(() -> verifier.verify(text, policy, KEYS))
        .isInstanceOf(TokenRejectedException.class);
  }

  @Property(tries = 500)
  void verifyWhenOneCharacterOfValidTokenChangedThenRejected(
      @ForAll("positions") int position, @ForAll("replacements") char replacement) {
    if (VALID.charAt(position) == replacement) {
      return;
    }
    String mutated = VALID.substring(0, position) + replacement + VALID.substring(position + 1);
    assertThatThrownBy(() -> verifier.verify(mutated, policy, KEYS))
        .isInstanceOf(TokenRejectedException.class);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, VALID.length() - 1);
  }

  @Provide
  Arbitrary<Character> replacements() {
    return Arbitraries.of(ALPHABET.chars().mapToObj(c -> (char) c).toList());
  }
}
