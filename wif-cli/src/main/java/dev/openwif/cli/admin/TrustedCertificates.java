package dev.openwif.cli.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust of {@code --cacert FILE}: the PEM (or DER) certificates in the file become the only
 * trust anchors, as with {@code curl --cacert}, so a server with a self-signed certificate (or one
 * from a private CA) is reached with its certificate and host name still checked. Stateless.
 */
public final class TrustedCertificates {
  private TrustedCertificates() {}

  /**
   * An SSL context trusting exactly the certificates in {@code file}.
   *
   * @throws IllegalArgumentException naming {@code flag} and the file when it is missing,
   *     unreadable or holds no certificate
   */
  public static SSLContext sslContext(String flag, Path file) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(flag + " " + file + ": no such file", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + " " + file + ": cannot read it (" + e + ")", e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          flag + " " + file + ": not a PEM certificate file (" + e.getMessage() + ")", e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(flag + " " + file + ": holds no certificate");
    }
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        anchors.setCertificateEntry("cacert-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS trust from " + file + ": " + e, e);
    }
  }
}
