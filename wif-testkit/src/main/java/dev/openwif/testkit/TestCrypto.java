package dev.openwif.testkit;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.Optional;

/**
 * The crypto providers a test JVM (or a benchmark JVM) runs on, switched like the server: native
 * (Amazon Corretto Crypto Provider first) unless {@code WIF_NATIVE_CRYPTO=off}, which the
 * launcher's second test pass sets. {@link NativeCryptoSession} calls {@link #installAsSwitched}
 * before any test runs, so every in-process test runs on the chosen path; servers started as child
 * processes inherit the variable. The server's own switch is {@code
 * dev.openwif.server.infra.NativeCrypto}; this copy exists because the test kit cannot depend on
 * the server. Thread-safe.
 */
public final class TestCrypto {
  public static final String ENVIRONMENT = "WIF_NATIVE_CRYPTO";
  public static final String PROVIDER_NAME = "AmazonCorrettoCryptoProvider";

  private TestCrypto() {}

  /**
   * Whether {@code WIF_NATIVE_CRYPTO} asks for native crypto: unset, blank or {@code on} yes,
   * {@code off} no.
   *
   * @throws IllegalStateException for any other value, so a typo cannot pick a path silently
   */
  public static boolean nativeWanted() {
    String value = Optional.ofNullable(System.getenv(ENVIRONMENT)).orElse("").strip();
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "", "on" -> true;
      case "off" -> false;
      default ->
          throw new IllegalStateException(ENVIRONMENT + " must be on or off (was '" + value + "')");
    };
  }

  /**
   * Whether this platform has the provider's native library (the jar on the class path is the Linux
   * x86-64 build): where it has, a native pass must really run natively.
   */
  public static boolean nativeAvailableOnThisPlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /** Whether the native provider is the first JCA provider now. */
  public static boolean nativeActive() {
    Provider[] providers = Security.getProviders();
    return providers.length > 0 && providers[0].getName().equals(PROVIDER_NAME);
  }

  /**
   * Installs the native provider first when {@link #nativeWanted} and it is healthy, or removes it
   * when not wanted. Returns whether it is active afterwards.
   */
  public static synchronized boolean installAsSwitched() {
    if (!nativeWanted()) {
      Security.removeProvider(PROVIDER_NAME);
      return false;
    }
    try {
      AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
      if (provider.getLoadingError() != null) {
        return false;
      }
      provider.assertHealthy();
      if (!nativeActive()) {
        Security.removeProvider(PROVIDER_NAME);
        Security.insertProviderAt(provider, 1);
      }
      return true;
    } catch (LinkageError | RuntimeException e) {
      // no native library for this platform: the JDK's providers stay (the switch test says so)
      return false;
    }
  }
}
