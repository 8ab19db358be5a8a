package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import dev.openwif.testkit.TestCrypto;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Signatures made on one crypto path verify on the other, for every JWS algorithm the server signs
 * (ES256 access tokens) or verifies (subject tokens: RS256/384/512, PS256/384/512, ES256, ES384,
 * EdDSA; access tokens: ES256): a server switched to native crypto accepts the tokens a JDK-signed
 * issuer sends, issuers verify its tokens whatever they run, and a fleet may mix both. A tampered
 * signature is refused on both. The providers are named explicitly, so this holds in either test
 * pass.
 */
class NativeCryptoInteropTest {
  private static final byte[] SIGNING_INPUT =
      "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ3b3JrbG9hZCJ9".getBytes(StandardCharsets.US_ASCII);

  private static Provider accp;

  @BeforeAll
  static void nativeProvider() {
    assumeTrue(TestCrypto.nativeAvailableOnThisPlatform(), "no native library on this platform");
    accp = AmazonCorrettoCryptoProvider.INSTANCE;
    assertThat(AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError()).isNull();
  }

  private static Provider jdk(String name) {
    return Objects.requireNonNull(Security.getProvider(name), name);
  }

  private static Provider provider(String side, String jdkName) {
    return side.equals("native") ? accp : jdk(jdkName);
  }

  @ParameterizedTest(name = "{0}: signed {1}, verified {2}")
  @CsvSource({
    "RS256,native,jdk", "RS256,jdk,native",
    "RS384,native,jdk", "RS384,jdk,native",
    "RS512,native,jdk", "RS512,jdk,native",
    "PS256,native,jdk", "PS256,jdk,native",
    "PS384,native,jdk", "PS384,jdk,native",
    "PS512,native,jdk", "PS512,jdk,native"
  })
  void rsaWhenSignedOnOnePathThenVerifiesOnTheOtherAndTamperedIsRefusedOnBoth(
      String alg, String signedBy, String verifiedBy) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", jdk("SunRsaSign"));
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    RSASSASigner signer = new RSASSASigner(keys.getPrivate());
    signer.getJCAContext().setProvider(provider(signedBy, "SunRsaSign"));
    RSASSAVerifier verifier = new RSASSAVerifier((RSAPublicKey) keys.getPublic());
    verifier.getJCAContext().setProvider(provider(verifiedBy, "SunRsaSign"));
    RSASSAVerifier sameSide = new RSASSAVerifier((RSAPublicKey) keys.getPublic());
    sameSide.getJCAContext().setProvider(provider(signedBy, "SunRsaSign"));

    assertCrossVerifies(JWSAlgorithm.parse(alg), signer, verifier, sameSide);
  }

  @ParameterizedTest(name = "{0}: signed {2}, verified {3}")
  @CsvSource({
    "ES256,secp256r1,native,jdk", "ES256,secp256r1,jdk,native",
    "ES384,secp384r1,native,jdk", "ES384,secp384r1,jdk,native"
  })
  void ecdsaWhenSignedOnOnePathThenVerifiesOnTheOtherAndTamperedIsRefusedOnBoth(
      String alg, String curve, String signedBy, String verifiedBy) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", jdk("SunEC"));
    generator.initialize(new ECGenParameterSpec(curve));
    KeyPair keys = generator.generateKeyPair();
    ECDSASigner signer = new ECDSASigner((ECPrivateKey) keys.getPrivate());
    signer.getJCAContext().setProvider(provider(signedBy, "SunEC"));
    ECDSAVerifier verifier = new ECDSAVerifier((ECPublicKey) keys.getPublic());
    verifier.getJCAContext().setProvider(provider(verifiedBy, "SunEC"));
    ECDSAVerifier sameSide = new ECDSAVerifier((ECPublicKey) keys.getPublic());
    sameSide.getJCAContext().setProvider(provider(signedBy, "SunEC"));

    assertCrossVerifies(JWSAlgorithm.parse(alg), signer, verifier, sameSide);
  }

  /** EdDSA goes through the JCA directly, as the server verifies it (SignatureCheck). */
  @ParameterizedTest(name = "EdDSA: signed {0}, verified {1}")
  @CsvSource({"native,jdk", "jdk,native"})
  void ed25519WhenSignedOnOnePathThenVerifiesOnTheOtherAndTamperedIsRefusedOnBoth(
      String signedBy, String verifiedBy) throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519", jdk("SunEC")).generateKeyPair();
    Signature signer = Signature.getInstance("Ed25519", provider(signedBy, "SunEC"));
    signer.initSign(keys.getPrivate());
    signer.update(SIGNING_INPUT);
    byte[] signature = signer.sign();

    assertThat(ed25519Verifies(provider(verifiedBy, "SunEC"), keys, signature)).isTrue();
    byte[] tampered = signature.clone();
    tampered[10] ^= 0x01;
    assertThat(ed25519Verifies(provider(verifiedBy, "SunEC"), keys, tampered)).isFalse();
    assertThat(ed25519Verifies(provider(signedBy, "SunEC"), keys, tampered)).isFalse();
  }

  /**
   * False for a signature that does not verify, as the server counts it: the JDK throws {@link
   * SignatureException} ("Invalid point") when the tampered R is no curve point.
   */
  private static boolean ed25519Verifies(Provider provider, KeyPair keys, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance("Ed25519", provider);
    verifier.initVerify(keys.getPublic());
    verifier.update(SIGNING_INPUT);
    try {
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false;
    }
  }

  private static void assertCrossVerifies(
      JWSAlgorithm alg, JWSSigner signer, JWSVerifier verifier, JWSVerifier sameSide)
      throws JOSEException {
    JWSHeader header = new JWSHeader(alg);
    Base64URL signature = signer.sign(header, SIGNING_INPUT);

    assertThat(verifier.verify(header, SIGNING_INPUT, signature)).as("verifies across").isTrue();
    byte[] tampered = signature.decode();
    tampered[tampered.length / 2] ^= 0x01;
    Base64URL bad = Base64URL.encode(tampered);
    assertThat(verifier.verify(header, SIGNING_INPUT, bad)).as("tampered, across").isFalse();
    assertThat(sameSide.verify(header, SIGNING_INPUT, bad)).as("tampered, same side").isFalse();
    byte[] otherInput = SIGNING_INPUT.clone();
    otherInput[0] ^= 0x01;
    assertThat(verifier.verify(header, otherInput, signature)).as("other input").isFalse();
  }
}
