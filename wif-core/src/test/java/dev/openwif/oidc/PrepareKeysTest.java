package dev.openwif.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.openwif.testkit.MutableClock;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link SubjectTokenVerifier#prepareKeys} hands the key source the token's {@code kid}, read from
 * the header alone, and never throws for a bad token (verification judges it afterwards).
 */
class PrepareKeysTest {
  static final RSAKey KEY = TestKeys.rsa("rsa-1");

  private final List<Optional<String>> prepared = new ArrayList<>();
  private final KeySource recording =
      new KeySource() {
        @Override
        public Optional<JWK> keyFor(String kid) {
          return Optional.empty();
        }

        @Override
        public void prepare(Optional<String> kid) {
          prepared.add(kid);
        }
      };
  private final SubjectTokenVerifier verifier = new SubjectTokenVerifier(MutableClock.fixed());
  private final VerificationPolicy policy =
      VerificationPolicy.defaults("https://issuer.example", "aud");

  private Optional<String> preparedFor(String token) {
    prepared.clear();
    verifier.prepareKeys(token, policy, recording);
    assertThat(prepared).hasSize(1);
    return prepared.getFirst();
  }

  @Test
  void prepareKeysWhenTokenNamesAKidThenTheSourceIsToldThatKid() {
    String token = TokenBuilder.signedBy(KEY).claims(Map.of("sub", "w")).build();

    assertThat(preparedFor(token)).contains("rsa-1");
  }

  @Test
  void prepareKeysWhenTokenHasNoUsableKidThenTheSourceIsToldNoKidAndNothingThrows() {
    String valid = TokenBuilder.signedBy(KEY).claims(Map.of("sub", "w")).build();
    String rest = valid.substring(valid.indexOf('.'));
    List<String> tokens =
        List.of(
            "",
            "no-dots-at-all",
            ".payload.signature",
            "%%%" + rest,
            "eyJhbGciOiJSUzI1NiJ9" + rest, // {"alg":"RS256"}: no kid
            "eyJraWQiOjF9" + rest, // {"kid":1}: not a string
            "W10" + rest, // []: not an object
            "x".repeat(policy.maxTokenBytes() + 1) + rest);
    for (String token : tokens) {
      assertThat(preparedFor(token)).as(token.length() > 40 ? "huge" : token).isEmpty();
    }
  }
}
