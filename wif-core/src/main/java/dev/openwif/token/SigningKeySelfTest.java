package dev.openwif.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;

/**
 * The check a signing key passes before it signs anything: a probe is signed with the private key
 * and verified with the public key exactly as the JWK Set publishes it (serialised, then parsed
 * back). It runs when a key is created (before it is stored, so a faulty rotation is refused), and
 * whenever a different key becomes the one that signs (at start and after a rotation or re-read).
 * It replaces verifying every minted token again, which cost more than the signature itself; a
 * signer that produces what the published key does not accept is caught here, once per key. The
 * probe is signed by {@link Es256CompactSigner}, the signer that mints access tokens, and verified
 * by Nimbus's independent ES256 verifier.
 */
final class SigningKeySelfTest {
  private static final String PROBE = "openwif signing key self-test";

  private SigningKeySelfTest() {}

  /**
   * Passes when {@code privateKey} signs an ES256 probe that the public key published for its kid
   * in {@code publishedJwks} verifies.
   *
   * @throws IllegalStateException naming the kid and what failed (never the key material)
   */
  static void check(ECKey privateKey, String publishedJwks) {
    String kid = privateKey.getKeyID();
    try {
      JWK published = JWKSet.parse(publishedJwks).getKeyByKeyId(kid);
      if (!(published instanceof ECKey publicKey) || publicKey.isPrivate()) {
        throw new IllegalStateException(
            "signing key "
                + kid
                + " failed its self-test: the JWK Set publishes no public key for it");
      }
      String probe = signProbe(privateKey);
      JWSObject parsed = JWSObject.parse(probe);
      if (!JWSAlgorithm.ES256.equals(parsed.getHeader().getAlgorithm())
          || !kid.equals(parsed.getHeader().getKeyID())
          || !parsed.verify(new ECDSAVerifier(publicKey))) {
        throw new IllegalStateException(
            "signing key "
                + kid
                + " failed its self-test: a probe it signed does not verify with its published"
                + " public key");
      }
    } catch (JOSEException | ParseException e) {
      throw new IllegalStateException(
          "signing key " + kid + " failed its self-test: " + e.getMessage(), e);
    }
  }

  private static String signProbe(ECKey privateKey) {
    try {
      return new Es256CompactSigner(privateKey, AccessTokenClaimNames.TYP)
          .sign(new ClaimsJson().string("probe", PROBE).toUtf8());
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "signing key "
              + privateKey.getKeyID()
              + " failed its self-test: it cannot sign: "
              + e.getMessage(),
          e);
    }
  }

  /** {@link #check} against a JWK Set publishing only this key's public part. */
  static void check(ECKey privateKey) {
    check(privateKey, new JWKSet(privateKey.toPublicJWK()).toString(true));
  }
}
