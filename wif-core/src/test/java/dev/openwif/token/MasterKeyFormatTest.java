package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MasterKeyFormatTest {
  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  @Test
  void problemWhenThirtyTwoRandomBytesInStandardBase64ThenNone() {
    assertThat(MasterKeyFormat.problem(Base64.getEncoder().encodeToString(random(32)))).isEmpty();
  }

  @Test
  void problemWhenUrlSafeWithoutPaddingOrWithATrailingNewlineThenNone() {
    byte[] bytes = random(48);
    assertThat(
            MasterKeyFormat.problem(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)))
        .isEmpty();
    assertThat(MasterKeyFormat.problem(Base64.getEncoder().encodeToString(bytes) + "\n")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "correct horse battery staple correct horse battery",
        "a-master-key-of-at-least-32-characters!",
        "",
        "   "
      })
  void problemWhenPassphraseOrBlankThenNotBase64(String value) {
    assertThat(MasterKeyFormat.problem(value))
        .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("not base64")
        .contains("openssl rand -base64 32");
  }

  @Test
  void problemWhenFewerThanThirtyTwoBytesThenSaysHowMany() {
    assertThat(MasterKeyFormat.problem(Base64.getEncoder().encodeToString(random(24))))
        .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("decodes to 24 bytes");
  }

  @Test
  void problemWhenOneByteRepeatedThenNotRandom() {
    assertThat(MasterKeyFormat.problem(Base64.getEncoder().encodeToString(new byte[32])))
        .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("not random");
  }

  @Test
  void problemNeverEchoesTheValue() {
    String value = "Zm9v-not/valid+base64==";
    assertThat(MasterKeyFormat.problem(value))
        .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .doesNotContain(value);
  }
}
