package dev.openwif.server.tls;

import io.helidon.common.tls.Tls;
import java.util.List;

/**
 * The listener's TLS settings: TLS 1.3 and 1.2 only, and in 1.2 only forward-secret (ECDHE) suites
 * with an AEAD cipher (AES-GCM, ChaCha20-Poly1305), in the spirit of Mozilla's "intermediate"
 * profile without finite-field DHE. Everything older (TLS 1.1, CBC, static RSA key exchange) is
 * refused in the handshake.
 */
public final class ServerTls {
  /** The protocols offered, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** The cipher suites offered, by the JDK's standard names, in order of preference. */
  public static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private ServerTls() {}

  /** Helidon's TLS settings serving {@code credentials} with {@link #PROTOCOLS} and suites. */
  public static Tls of(TlsCredentials credentials) {
    return Tls.builder()
        .privateKey(credentials.key())
        .privateKeyCertChain(credentials.chain())
        .enabledProtocols(PROTOCOLS)
        .enabledCipherSuites(CIPHER_SUITES)
        .build();
  }
}
