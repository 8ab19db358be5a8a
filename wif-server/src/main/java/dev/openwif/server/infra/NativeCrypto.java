package dev.openwif.server.infra;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.Optional;

/**
 * Native cryptography: installs Amazon Corretto Crypto Provider (aws-lc) as the first JCA provider,
 * so every {@code Signature}, {@code Cipher}, {@code KeyFactory} and {@code SecureRandom} lookup
 * without a named provider gets its implementation (ES256 signing about 8 times faster than the
 * JDK's, verification about 9 times). It is installed only when its native library loaded and its
 * self-tests pass; otherwise (another platform than Linux x86-64, a library that cannot load) the
 * JDK's providers stay and the reason is kept for the start-up summary and the status endpoint.
 * Never throws for a missing or broken native library.
 *
 * <p>The JCA provider list belongs to the whole process, so this class is static: the composition
 * root calls {@link #install} once, before any key is loaded. Thread-safe.
 */
public final class NativeCrypto {
  /** The environment variable that switches native crypto off ({@code off}) or on ({@code on}). */
  public static final String ENVIRONMENT = "WIF_NATIVE_CRYPTO";

  // a literal: this class must load even where the provider's jar is missing
  static final String PROVIDER_NAME = "AmazonCorrettoCryptoProvider";
  static final String DISPLAY_NAME = "Amazon Corretto Crypto Provider";
  private static final int MAX_REASON_CHARS = 200;

  private static volatile Optional<CryptoStatus> installed = Optional.empty();

  private NativeCrypto() {}

  /**
   * Reads a switch value, {@code on} or {@code off} (any case, surrounding blanks ignored).
   *
   * @param source what the value came from, for the error: {@code --native-crypto} or {@link
   *     #ENVIRONMENT}
   * @throws IllegalArgumentException naming the source and the value
   */
  public static boolean parseSwitch(String source, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "on" -> true;
      case "off" -> false;
      default ->
          throw new IllegalArgumentException(
              source + " must be on or off (was '" + value.strip() + "')");
    };
  }

  /**
   * Makes native crypto the first provider ({@code wanted}) when it is healthy, or takes it out of
   * the provider list ({@code !wanted}); returns what is then in force. Idempotent.
   */
  public static synchronized CryptoStatus install(boolean wanted) {
    CryptoStatus status = wanted ? installNative() : switchOff();
    installed = Optional.of(status);
    return status;
  }

  /**
   * What is in force now: the last {@link #install} result while the provider list is as it left
   * it; otherwise what the list shows (native crypto first, or not installed in this process).
   */
  public static CryptoStatus current() {
    Provider[] providers = Security.getProviders();
    boolean nativeFirst = providers.length > 0 && providers[0].getName().equals(PROVIDER_NAME);
    Optional<CryptoStatus> last = installed;
    if (last.isPresent() && last.get().nativeActive() == nativeFirst) {
      return last.get();
    }
    return nativeFirst
        ? CryptoStatus.nativeProvider(DISPLAY_NAME + " " + providers[0].getVersionStr())
        : CryptoStatus.jdk("native crypto not installed in this process");
  }

  private static CryptoStatus switchOff() {
    Security.removeProvider(PROVIDER_NAME);
    return CryptoStatus.jdk("native crypto switched off");
  }

  private static CryptoStatus installNative() {
    AmazonCorrettoCryptoProvider provider;
    try {
      provider = AmazonCorrettoCryptoProvider.INSTANCE;
      Throwable loadingError = provider.getLoadingError();
      if (loadingError != null) {
        return unavailable(loadingError);
      }
      provider.assertHealthy();
    } catch (LinkageError | RuntimeException e) {
      // the jar missing from the class path, a native library for another platform, a failed
      // self-test: all leave the JDK's providers in force
      return unavailable(e);
    }
    Provider[] providers = Security.getProviders();
    if (providers.length == 0 || !providers[0].getName().equals(PROVIDER_NAME)) {
      Security.removeProvider(PROVIDER_NAME);
      Security.insertProviderAt(provider, 1);
    }
    return CryptoStatus.nativeProvider(DISPLAY_NAME + " " + provider.getVersionStr());
  }

  private static CryptoStatus unavailable(Throwable error) {
    return CryptoStatus.jdk("native crypto unavailable: " + reason(error));
  }

  /** The error's class and the first line of its message, shortened: one line for a summary. */
  static String reason(Throwable error) {
    String message = Optional.ofNullable(error.getMessage()).orElse("").strip();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline).strip();
    }
    String text = error.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    return text.length() <= MAX_REASON_CHARS
        ? text
        : text.substring(0, MAX_REASON_CHARS - 3) + "...";
  }
}
