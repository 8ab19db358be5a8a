package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.testkit.TestCrypto;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NativeCryptoTest {
  /**
   * The native pass must really be native: where the platform has the library, WIF_NATIVE_CRYPTO
   * unset (or on) means the provider is first, and off means it is not there at all. A silent
   * fallback fails here rather than passing for the native run.
   */
  @Test
  void currentWhenTestsRunThenTheProviderInForceIsTheOneTheSwitchChose() throws Exception {
    boolean expected = TestCrypto.nativeWanted() && TestCrypto.nativeAvailableOnThisPlatform();

    CryptoStatus status = NativeCrypto.current();

    assertThat(status.nativeActive()).as(status.summary()).isEqualTo(expected);
    String es256 = Signature.getInstance("SHA256withECDSA").getProvider().getName();
    String gcm = Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName();
    if (expected) {
      assertThat(status.provider()).isEqualTo("Amazon Corretto Crypto Provider 2.5.0");
      assertThat(es256).isEqualTo(NativeCrypto.PROVIDER_NAME);
      assertThat(gcm).isEqualTo(NativeCrypto.PROVIDER_NAME);
    } else {
      assertThat(es256).isEqualTo("SunEC");
      assertThat(gcm).isEqualTo("SunJCE");
    }
  }

  @Test
  void installWhenOffThenJdkProvidersAndWhenOnThenNativeFirstAgain() throws Exception {
    boolean nativeBefore = TestCrypto.nativeActive();
    try {
      CryptoStatus off = NativeCrypto.install(false);

      assertThat(off.summary()).isEqualTo("JDK providers (native crypto switched off)");
      assertThat(NativeCrypto.current()).isEqualTo(off);
      assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName())
          .isEqualTo("SunEC");
      assertThat(new SecureRandom().getProvider().getName())
          .isNotEqualTo("AmazonCorrettoCryptoProvider");

      if (TestCrypto.nativeAvailableOnThisPlatform()) {
        CryptoStatus on = NativeCrypto.install(true);
        CryptoStatus again = NativeCrypto.install(true);

        assertThat(on.summary()).isEqualTo("native (Amazon Corretto Crypto Provider 2.5.0)");
        assertThat(again).isEqualTo(on);
        assertThat(NativeCrypto.current()).isEqualTo(on);
        assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName())
            .isEqualTo(NativeCrypto.PROVIDER_NAME);
        assertThat(KeyPairGenerator.getInstance("EC").getProvider().getName())
            .isEqualTo(NativeCrypto.PROVIDER_NAME);
        assertThat(java.security.Security.getProviders())
            .filteredOn(p -> p.getName().equals(NativeCrypto.PROVIDER_NAME))
            .hasSize(1);
      }
    } finally {
      // back to the providers as they were (not as the switch says: that would hide a missing
      // session listener from the test above)
      NativeCrypto.install(nativeBefore);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"on,true", "off,false", "ON,true", "' off ',false"})
  void parseSwitchWhenOnOrOffThenReadIgnoringCaseAndBlanks(String value, boolean expected) {
    assertThat(NativeCrypto.parseSwitch("--native-crypto", value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource({"yes", "true", "1", "''", "native"})
  void parseSwitchWhenAnythingElseThenRefusedNamingTheSourceAndValue(String value) {
    assertThatThrownBy(() -> NativeCrypto.parseSwitch(NativeCrypto.ENVIRONMENT, value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("WIF_NATIVE_CRYPTO must be on or off (was '" + value + "')");
  }

  @Test
  void reasonWhenMultiLineOrLongMessageThenOneShortLineWithTheErrorClass() {
    assertThat(
            NativeCrypto.reason(
                new UnsatisfiedLinkError("no libamazonCorrettoCryptoProvider\n\tat somewhere")))
        .isEqualTo("UnsatisfiedLinkError: no libamazonCorrettoCryptoProvider");
    assertThat(NativeCrypto.reason(new IllegalStateException())).isEqualTo("IllegalStateException");
    assertThat(NativeCrypto.reason(new IllegalStateException("x".repeat(500))))
        .hasSize(200)
        .endsWith("...");
  }
}
