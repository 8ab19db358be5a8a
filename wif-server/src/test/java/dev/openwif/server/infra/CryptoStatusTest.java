package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CryptoStatusTest {
  @Test
  void summaryWhenNativeThenNamesTheProvider() {
    assertThat(CryptoStatus.nativeProvider("Amazon Corretto Crypto Provider 2.5.0").summary())
        .isEqualTo("native (Amazon Corretto Crypto Provider 2.5.0)");
  }

  @Test
  void summaryWhenJdkThenSaysWhy() {
    assertThat(
            CryptoStatus.jdk("native crypto unavailable: UnsatisfiedLinkError: no library")
                .summary())
        .isEqualTo("JDK providers (native crypto unavailable: UnsatisfiedLinkError: no library)");
  }

  @Test
  void constructorWhenReasonDoesNotMatchNativeThenRefused() {
    assertThatThrownBy(() -> new CryptoStatus(true, "x", Optional.of("why")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CryptoStatus(false, "x", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
