package dev.openwif.server.adversarial;

import static dev.openwif.server.adversarial.Forge.segments;

import com.nimbusds.jose.jwk.ECKey;
import dev.openwif.audit.ReasonCode;
import dev.openwif.server.sts.Federation;
import dev.openwif.testkit.TestKeys;
import dev.openwif.testkit.TokenBuilder;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay protection, opt-in per provider ({@code replay_protection: true}): a subject token is
 * exchanged once; a second exchange of it — byte for byte, under the same {@code jti}, or with its
 * ECDSA signature malleated to {@code (r, n - s)}, which verifies too — is refused with {@code
 * REPLAYED}. A refused attempt does not use the token up, and providers without the option accept a
 * token until it expires.
 */
@ExtendWith(AdversarialCases.class)
class ReplayProtectionIT {
  @TempDir static Path dir;
  static Arena arena;
  static ECKey ecKey;
  static Federation protectedFed;
  static Federation openFed;

  @BeforeAll
  static void start() {
    arena = Arena.start(dir);
    ecKey = TestKeys.ec256();
    arena.issuer.addKey(ecKey);
    arena.uploaded();
    protectedFed = Federation.uploaded(arena.server, arena.issuer, Federation.allScopes());
    arena.server.updateProvider(protectedFed.providerId(), Map.of("replay_protection", true));
    openFed = arena.main();
  }

  @AfterAll
  static void stop() {
    arena.close();
  }

  private static Map<String, Object> claimsWithJti(Federation fed) {
    Map<String, Object> claims = fed.claims(arena.clock);
    claims.put("jti", UUID.randomUUID().toString());
    return claims;
  }

  @Test
  void exchangeWhenSameTokenTwiceThenSecondReplayed() {
    String token = arena.issuer.token(claimsWithJti(protectedFed));
    arena.assertIssued(token, protectedFed.providerId(), protectedFed.accountId());

    arena.assertTokenRefused(
        token, protectedFed.providerId(), protectedFed.accountId(), ReasonCode.REPLAYED);
  }

  @Test
  void exchangeWhenSameTokenWithoutJtiTwiceThenSecondReplayed() {
    String token = protectedFed.subjectToken(arena.clock);
    arena.assertIssued(token, protectedFed.providerId(), protectedFed.accountId());

    arena.assertTokenRefused(
        token, protectedFed.providerId(), protectedFed.accountId(), ReasonCode.REPLAYED);
  }

  @Test
  void exchangeWhenAnotherTokenReusesAJtiThenReplayed() {
    Map<String, Object> claims = claimsWithJti(protectedFed);
    arena.assertIssued(
        arena.issuer.token(claims), protectedFed.providerId(), protectedFed.accountId());
    claims.put("iat", ((Number) claims.get("iat")).longValue() - 1);

    arena.assertTokenRefused(
        arena.issuer.token(claims),
        protectedFed.providerId(),
        protectedFed.accountId(),
        ReasonCode.REPLAYED);
  }

  @Test
  void exchangeWhenEcdsaSignatureMalleatedThenStillReplayed() {
    String token = TokenBuilder.signedBy(ecKey).claims(protectedFed.claims(arena.clock)).build();
    arena.assertIssued(token, protectedFed.providerId(), protectedFed.accountId());

    arena.assertTokenRefused(
        malleated(token), protectedFed.providerId(), protectedFed.accountId(), ReasonCode.REPLAYED);
  }

  @Test
  void exchangeWhenMalleatedSignatureOnUnprotectedProviderThenItVerifies() {
    // The control for the case above: (r, n - s) is a valid signature, so only replay memory can
    // stop it.
    String token = TokenBuilder.signedBy(ecKey).claims(openFed.claims(arena.clock)).build();
    arena.assertIssued(malleated(token), openFed.providerId(), openFed.accountId());
  }

  @Test
  void exchangeWhenFirstAttemptRefusedThenTokenNotUsedUp() {
    String token = arena.issuer.token(claimsWithJti(protectedFed));
    arena.assertTokenRefused(
        token,
        protectedFed.providerId(),
        arena.server.createServiceAccount(protectedFed.projectId(), "unmapped"),
        ReasonCode.NO_MATCHING_RULE);

    arena.assertIssued(token, protectedFed.providerId(), protectedFed.accountId());
  }

  @Test
  void exchangeWhenProtectionOffThenSameTokenExchangedAgain() {
    String token = arena.issuer.token(claimsWithJti(openFed));
    arena.assertIssued(token, openFed.providerId(), openFed.accountId());
    arena.assertIssued(token, openFed.providerId(), openFed.accountId());
  }

  /** The same token with its ES256 signature (r, s) replaced by (r, n - s). */
  private static String malleated(String token) {
    byte[] signature = Forge.unb64(segments(token)[2]);
    BigInteger n = new BigInteger(1, Forge.p256Order());
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    byte[] flipped = n.subtract(s).toByteArray();
    byte[] fixed = new byte[32];
    int copy = Math.min(32, flipped.length);
    System.arraycopy(flipped, flipped.length - copy, fixed, 32 - copy, copy);
    byte[] out = Arrays.copyOf(signature, 64);
    System.arraycopy(fixed, 0, out, 32, 32);
    return Forge.withSignature(token, out);
  }
}
