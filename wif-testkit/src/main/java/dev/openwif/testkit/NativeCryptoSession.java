package dev.openwif.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Puts every test JVM of a module that uses the test kit on the crypto path {@code
 * WIF_NATIVE_CRYPTO} chooses ({@link TestCrypto#installAsSwitched}), once, before its first test.
 * The JUnit Platform loads it through {@code META-INF/services}.
 */
public final class NativeCryptoSession implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    TestCrypto.installAsSwitched();
  }
}
