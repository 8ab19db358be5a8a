package dev.openwif.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleLintTest {

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of(Named.of("sub alone", Map.of("sub", "workload-a")), List.of()),
        Arguments.of(
            Named.of(
                "GKE service account name and namespace",
                Map.of(
                    "kubernetes.io.serviceaccount.name", "runner",
                    "kubernetes.io.namespace", "ci")),
            List.of()),
        Arguments.of(
            Named.of("verified email", Map.of("email", "a@example.com", "email_verified", true)),
            List.of()),
        Arguments.of(
            Named.of("aud only", Map.of("aud", "https://wif.example")),
            List.of("matches_whole_issuer")),
        Arguments.of(
            Named.of("iss and aud", Map.of("iss", "https://issuer", "aud", "x")),
            List.of("matches_whole_issuer")),
        Arguments.of(
            Named.of("a derived attribute only", Map.of("openai.project", "my-project")),
            List.of("no_unique_claim")),
        Arguments.of(
            Named.of("aud and a custom claim", Map.of("aud", "x", "team", "ml")),
            List.of("no_unique_claim")),
        Arguments.of(
            Named.of("email without email_verified", Map.of("email", "a@example.com")),
            List.of("email_not_verified")),
        Arguments.of(
            Named.of(
                "email with email_verified false",
                Map.of("email", "a@example.com", "email_verified", false)),
            List.of("email_not_verified")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void checkWhenMatchersGivenThenWarnsAsExpected(
      Map<String, Object> matchers, List<String> expected) {
    assertThat(RuleLint.check(matchers)).extracting(RuleLint.Warning::code).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void checkWhenWarningThenMessageNamesWhatToMatch(
      Map<String, Object> matchers, List<String> expected) {
    for (RuleLint.Warning warning : RuleLint.check(matchers)) {
      assertThat(warning.message()).containsAnyOf("Match sub", "email_verified: true");
    }
  }
}
