package dev.openwif.server.infra;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares ES256 (P-256 ECDSA, RFC 7518 §3.4) signing on a background thread while the server opens
 * and migrates its database, so that the start's signing-key self-test does not pay for it. The JDK
 * builds its table of multiples of the P-256 generator the first time anything signs or generates a
 * key (a static initializer, a good share of a cached start's CPU). This signs once with a
 * throwaway key made here and discarded: it touches no stored key, decides nothing, and a failure
 * only costs that time again later (logged at debug level). Thread-safe.
 */
public final class SigningWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(SigningWarmUp.class);

  private SigningWarmUp() {}

  /** Starts the warm-up on a daemon thread (it never holds the JVM up) and returns that thread. */
  public static Thread startInBackground() {
    return Thread.ofPlatform().daemon().name("es256-warm-up").start(SigningWarmUp::run);
  }

  private static void run() {
    try {
      signOnce();
    } catch (GeneralSecurityException | RuntimeException e) {
      LOG.debug("ES256 warm-up failed; the first signature pays for it instead", e);
    }
  }

  /** One P-256 key pair and one SHA256withECDSA signature, verified; true when it verified. */
  static boolean signOnce() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    byte[] data = "openwif warm-up".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(data);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(pair.getPublic());
    verifier.update(data);
    return verifier.verify(signature);
  }
}
