package dev.openwif.server.infra;

import java.util.Objects;
import java.util.Optional;

/**
 * Which providers do the server's cryptography (signing, verification, AES-GCM, randomness): the
 * native one, or the JDK's with the reason the native one is not in force.
 *
 * @param nativeActive true when Amazon Corretto Crypto Provider is the first JCA provider
 * @param provider the provider in force, for people: {@code Amazon Corretto Crypto Provider 2.5.0}
 *     or {@code JDK providers}
 * @param fallbackReason why the JDK providers are in force; empty exactly when {@code nativeActive}
 */
public record CryptoStatus(boolean nativeActive, String provider, Optional<String> fallbackReason) {
  static final String JDK = "JDK providers";

  public CryptoStatus {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(fallbackReason, "fallbackReason");
    if (nativeActive == fallbackReason.isPresent()) {
      throw new IllegalArgumentException("a fallback reason is given exactly when native is off");
    }
  }

  static CryptoStatus nativeProvider(String provider) {
    return new CryptoStatus(true, provider, Optional.empty());
  }

  static CryptoStatus jdk(String reason) {
    return new CryptoStatus(false, JDK, Optional.of(reason));
  }

  /**
   * One phrase for the start-up summary: {@code native (Amazon Corretto Crypto Provider 2.5.0)} or
   * {@code JDK providers (native crypto switched off)}.
   */
  public String summary() {
    return nativeActive
        ? "native (" + provider + ")"
        : provider + " (" + fallbackReason.get() + ")";
  }
}
