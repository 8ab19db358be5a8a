package dev.openwif.emulator.gke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProjectedTokenSpecTest {
  private static final List<String> AUD = List.of("https://api.openai.com/v1");

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of(
            Named.of("upper-case namespace", "Default"),
            "openai-wif",
            AUD,
            Duration.ofHours(1),
            "namespace"),
        Arguments.of(
            Named.of("namespace with a dot", "a.b"),
            "openai-wif",
            AUD,
            Duration.ofHours(1),
            "namespace"),
        Arguments.of(
            Named.of("service account with colon", "default"),
            "a:b",
            AUD,
            Duration.ofHours(1),
            "service account"),
        Arguments.of(
            Named.of("no audience", "default"),
            "openai-wif",
            List.of(),
            Duration.ofHours(1),
            "audience"),
        Arguments.of(
            Named.of("blank audience", "default"),
            "openai-wif",
            List.of(" "),
            Duration.ofHours(1),
            "audience"),
        Arguments.of(
            Named.of("sub-second lifetime", "default"),
            "openai-wif",
            AUD,
            Duration.ofMillis(999),
            "expiration"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void constructorWhenInvalidThenRefusedNamingTheField(
      String namespace,
      String serviceAccount,
      List<String> audiences,
      Duration expiration,
      String named) {
    assertThatThrownBy(
            () -> new ProjectedTokenSpec(namespace, serviceAccount, "pod", audiences, expiration))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }

  @Test
  void subjectWhenValidThenSystemServiceAccountForm() {
    ProjectedTokenSpec spec =
        new ProjectedTokenSpec("default", "openai-wif", "pod", AUD, Duration.ofSeconds(2));

    assertThat(spec.subject()).isEqualTo("system:serviceaccount:default:openai-wif");
  }

  @Test
  void refreshDelayWhenLifetimeTenSecondsThenEightSeconds() {
    Instant iat = Instant.parse("2026-01-01T00:00:00Z");
    ProjectedToken token = new ProjectedToken("x.y.z", iat, iat.plusSeconds(10));

    assertThat(TokenRotation.refreshDelay(token)).isEqualTo(Duration.ofSeconds(8));
  }
}
