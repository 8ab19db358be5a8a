package dev.openwif.server.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the server's TLS certificate and key are: PEM files, read at start and again whenever they
 * change ({@link TlsFileWatcher}).
 *
 * @param certificate the certificate chain, the server's own certificate first ({@code --tls-cert})
 * @param key its private key, unencrypted: PKCS#8, or traditional RSA or EC ({@code --tls-key})
 */
public record TlsFiles(Path certificate, Path key) {
  public TlsFiles {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(key, "key");
  }
}
