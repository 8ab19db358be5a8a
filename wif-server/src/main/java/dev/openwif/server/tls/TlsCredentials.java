package dev.openwif.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A certificate chain and the private key of its first certificate, read from {@link TlsFiles} and
 * checked to belong together (the key signs, the certificate's public key verifies). Immutable.
 *
 * @param key the private key
 * @param chain the server's certificate first, then the intermediates as the file lists them
 */
public record TlsCredentials(PrivateKey key, List<X509Certificate> chain) {
  public TlsCredentials {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the certificate chain is empty");
    }
  }

  /**
   * Reads and checks both files.
   *
   * @throws IllegalArgumentException one line naming the file and what is wrong with it (missing,
   *     unreadable, not PEM, encrypted key, key not matching the certificate); never key material
   */
  public static TlsCredentials read(TlsFiles files) {
    return of(files, bytes(files.certificate()), bytes(files.key()));
  }

  /** Checks the contents {@code certificate} and {@code key} read from {@code files}. */
  static TlsCredentials of(TlsFiles files, byte[] certificate, byte[] key) {
    List<X509Certificate> chain = certificates(files.certificate(), certificate);
    PrivateKey privateKey;
    try {
      privateKey = PemPrivateKeys.parse(new String(key, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS key " + files.key() + ": " + e.getMessage(), e);
    }
    if (!matches(privateKey, chain.getFirst().getPublicKey())) {
      throw new IllegalArgumentException(
          "TLS key "
              + files.key()
              + " does not belong to the certificate in "
              + files.certificate()
              + " (its public key is another)");
    }
    return new TlsCredentials(privateKey, chain);
  }

  /** The server's own certificate (the first of the chain). */
  public X509Certificate certificate() {
    return chain.getFirst();
  }

  /** A short description for logs: subject, serial number and expiry; nothing secret. */
  public String describe() {
    X509Certificate c = certificate();
    return "'"
        + c.getSubjectX500Principal().getName()
        + "' (serial "
        + c.getSerialNumber().toString(16)
        + ", valid until "
        + c.getNotAfter().toInstant()
        + ")";
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read TLS file " + file + ": " + describe(e), e);
    }
  }

  private static String describe(IOException e) {
    String name = e.getClass().getSimpleName();
    return switch (name) {
      case "NoSuchFileException" -> "no such file";
      case "AccessDeniedException" -> "permission denied";
      default -> e.getMessage() == null ? name : e.getMessage();
    };
  }

  private static List<X509Certificate> certificates(Path file, byte[] pem) {
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (var c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem))) {
        chain.add((X509Certificate) c);
      }
      if (chain.isEmpty()) {
        throw new IllegalArgumentException(
            "TLS certificate " + file + ": no certificate found (expected PEM BEGIN CERTIFICATE)");
      }
      return chain;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "TLS certificate "
              + file
              + ": not a PEM certificate chain (expected BEGIN CERTIFICATE blocks)",
          e);
    }
  }

  /** Whether {@code key} signs what {@code publicKey} verifies: the two halves of one key pair. */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
          default -> "";
        };
    return !algorithm.isEmpty() && verifies(algorithm, key, publicKey);
  }

  private static boolean verifies(String algorithm, PrivateKey key, PublicKey publicKey) {
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
