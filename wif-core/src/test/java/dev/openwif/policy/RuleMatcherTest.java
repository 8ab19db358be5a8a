package dev.openwif.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleMatcherTest {
  private static final String PROVIDER = "wip_1";
  private static final String ACCOUNT = "svc_1";
  private final RuleMatcher matcher = new RuleMatcher();

  static FederationRule rule(String id, Map<String, Object> matchers) {
    return rule(id, matchers, true, PROVIDER, ACCOUNT);
  }

  static FederationRule rule(
      String id, Map<String, Object> matchers, boolean enabled, String provider, String account) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new FederationRule(
        id,
        provider,
        Optional.empty(),
        Optional.empty(),
        enabled,
        matchers,
        "proj_1",
        account,
        new Permissions.ServiceAccountDefault(),
        false,
        t,
        t);
  }

  private MatchDecision matchOne(
      Map<String, Object> matchers, Map<String, ?> claims, Map<String, ?> attrs) {
    return matcher.match(List.of(rule("wifr_x", matchers)), PROVIDER, ACCOUNT, claims, attrs);
  }

  static Stream<Arguments> holdingCases() {
    return Stream.of(
        Arguments.of("exact string", Map.of("sub", "a"), Map.of("sub", "a"), Map.of()),
        Arguments.of(
            "boolean", Map.of("email_verified", true), Map.of("email_verified", true), Map.of()),
        Arguments.of(
            "integer vs decimal-valued number",
            Map.of("n", new BigDecimal("5")),
            Map.of("n", 5L),
            Map.of()),
        Arguments.of(
            "decimal with trailing zero",
            Map.of("n", new BigDecimal("1.50")),
            Map.of("n", 1.5d),
            Map.of()),
        Arguments.of(
            "array contains value",
            Map.of("groups", "ops"),
            Map.of("groups", List.of("dev", "ops")),
            Map.of()),
        Arguments.of(
            "dotted claim name kubernetes.io",
            Map.of("kubernetes.io.namespace", "prod"),
            Map.of("kubernetes.io", Map.of("namespace", "prod")),
            Map.of()),
        Arguments.of(
            "nested object two levels",
            Map.of("kubernetes.io.serviceaccount.name", "api"),
            Map.of("kubernetes.io", Map.of("serviceaccount", Map.of("name", "api", "uid", "u"))),
            Map.of()),
        Arguments.of(
            "literal dotted claim wins",
            Map.of("a.b", "literal"),
            Map.of("a.b", "literal", "a", Map.of("b", "nested")),
            Map.of()),
        Arguments.of(
            "openai attribute from transformation",
            Map.of("openai.team", "ml"),
            Map.of("sub", "x"),
            Map.of("openai.team", "ml")),
        Arguments.of(
            "all matchers hold",
            Map.of("sub", "a", "aud", "b"),
            Map.of("sub", "a", "aud", List.of("b", "c")),
            Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("holdingCases")
  void matchWhenEveryMatcherHoldsThenMatched(
      String name, Map<String, Object> matchers, Map<String, ?> claims, Map<String, ?> attrs) {
    MatchDecision decision = matchOne(matchers, claims, attrs);

    assertThat(decision).isInstanceOf(MatchDecision.Matched.class);
    assertThat(((MatchDecision.Matched) decision).rule().id()).isEqualTo("wifr_x");
  }

  static Stream<Arguments> failingCases() {
    return Stream.of(
        Arguments.of(
            "different string",
            Map.of("sub", "b"),
            Map.of("sub", "a"),
            Map.of(),
            "rule wifr_x: sub was 'a', expected 'b'"),
        Arguments.of(
            "case differs",
            Map.of("sub", "Alice"),
            Map.of("sub", "alice"),
            Map.of(),
            "rule wifr_x: sub was 'alice', expected 'Alice'"),
        Arguments.of(
            "unicode not normalised",
            Map.of("sub", "caf\u00e9"),
            Map.of("sub", "cafe\u0301"),
            Map.of(),
            "rule wifr_x: sub was 'cafe\u0301', expected 'caf\u00e9'"),
        Arguments.of(
            "string true vs boolean",
            Map.of("flag", true),
            Map.of("flag", "true"),
            Map.of(),
            "rule wifr_x: flag was 'true', expected true (boolean)"),
        Arguments.of(
            "number vs digit string",
            Map.of("n", new BigDecimal("5")),
            Map.of("n", "5"),
            Map.of(),
            "rule wifr_x: n was '5', expected 5 (number)"),
        Arguments.of(
            "boolean vs number",
            Map.of("n", new BigDecimal("1")),
            Map.of("n", true),
            Map.of(),
            "rule wifr_x: n was true (boolean), expected 1 (number)"),
        Arguments.of(
            "absent claim",
            Map.of("email", "a@b"),
            Map.of("sub", "a"),
            Map.of(),
            "rule wifr_x: email was absent, expected 'a@b'"),
        Arguments.of(
            "array without value",
            Map.of("groups", "ops"),
            Map.of("groups", List.of("dev")),
            Map.of(),
            "rule wifr_x: groups was [dev] (array), expected 'ops'"),
        Arguments.of(
            "nested array never matches",
            Map.of("groups", "ops"),
            Map.of("groups", List.of(List.of("ops"))),
            Map.of(),
            "rule wifr_x: groups was [[ops]] (array), expected 'ops'"),
        Arguments.of(
            "raw openai claim never satisfies attribute",
            Map.of("openai.team", "ml"),
            Map.of("openai.team", "ml"),
            Map.of(),
            "rule wifr_x: openai.team was absent (no transformation produced it), expected 'ml'"),
        Arguments.of(
            "nested raw openai object never satisfies attribute",
            Map.of("openai.team", "ml"),
            Map.of("openai", Map.of("team", "ml")),
            Map.of(),
            "rule wifr_x: openai.team was absent (no transformation produced it), expected 'ml'"),
        Arguments.of(
            "dotted path into a scalar",
            Map.of("kubernetes.io.namespace", "prod"),
            Map.of("kubernetes.io", "prod"),
            Map.of(),
            "rule wifr_x: kubernetes.io.namespace was absent, expected 'prod'"),
        Arguments.of(
            "longest prefix taken without backtracking",
            Map.of("a.b.c", "v"),
            Map.of("a.b", Map.of("x", "y"), "a", Map.of("b", Map.of("c", "v"))),
            Map.of(),
            "rule wifr_x: a.b.c was absent, expected 'v'"),
        Arguments.of(
            "second matcher fails",
            Map.of("sub", "a", "aud", "z"),
            Map.of("sub", "a", "aud", "b"),
            Map.of(),
            "rule wifr_x: aud was 'b', expected 'z'"),
        Arguments.of(
            "no matchers fails closed",
            Map.of(),
            Map.of("sub", "a"),
            Map.of(),
            "rule wifr_x: has no attribute matcher"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failingCases")
  void matchWhenAMatcherFailsThenNoMatchNamingIt(
      String name,
      Map<String, Object> matchers,
      Map<String, ?> claims,
      Map<String, ?> attrs,
      String detail) {
    MatchDecision decision = matchOne(new java.util.LinkedHashMap<>(matchers), claims, attrs);

    assertThat(decision).isEqualTo(new MatchDecision.NoMatch(detail));
  }

  @Test
  void matchWhenOnlyDisabledOrOtherRulesThenNoMatchSaysNoCandidate() {
    List<FederationRule> rules =
        List.of(
            rule("wifr_disabled", Map.of("sub", "a"), false, PROVIDER, ACCOUNT),
            rule("wifr_other_account", Map.of("sub", "a"), true, PROVIDER, "svc_2"),
            rule("wifr_other_provider", Map.of("sub", "a"), true, "wip_2", ACCOUNT));

    MatchDecision decision = matcher.match(rules, PROVIDER, ACCOUNT, Map.of("sub", "a"), Map.of());

    assertThat(decision)
        .isEqualTo(
            new MatchDecision.NoMatch(
                "no enabled rule of provider wip_1 maps to service account svc_1"));
  }

  @Test
  void matchWhenSeveralRulesThenFirstHoldingRuleWinsAndFailuresAreListed() {
    List<FederationRule> rules =
        List.of(
            rule("wifr_1", Map.of("sub", "b")),
            rule("wifr_2", Map.of("sub", "a")),
            rule("wifr_3", Map.of("sub", "a")));

    assertThat(matcher.match(rules, PROVIDER, ACCOUNT, Map.of("sub", "a"), Map.of()))
        .isEqualTo(new MatchDecision.Matched(rules.get(1)));
    assertThat(matcher.match(rules, PROVIDER, ACCOUNT, Map.of("sub", "c"), Map.of()))
        .isEqualTo(
            new MatchDecision.NoMatch(
                "rule wifr_1: sub was 'c', expected 'b'; rule wifr_2: sub was 'c', expected 'a'; "
                    + "rule wifr_3: sub was 'c', expected 'a'"));
  }

  @Test
  void explainWhenSomeRowsHoldAndSomeNotThenEveryRowJudgedInOrder() {
    Map<String, Object> matchers = new java.util.LinkedHashMap<>();
    matchers.put("sub", "system:serviceaccount:prod:api");
    matchers.put("kubernetes.io.namespace", "staging");
    matchers.put("openai.team", "ml");
    Map<String, Object> claims =
        Map.of(
            "sub", "system:serviceaccount:prod:api", "kubernetes.io", Map.of("namespace", "prod"));

    List<RuleMatcher.RowResult> rows =
        new RuleMatcher().explain(rule("wifr_x", matchers), claims, Map.of());

    assertThat(rows)
        .extracting(RuleMatcher.RowResult::key)
        .containsExactly("sub", "kubernetes.io.namespace", "openai.team");
    assertThat(rows).extracting(RuleMatcher.RowResult::held).containsExactly(true, false, false);
    assertThat(rows.get(1).detail()).contains("'prod'").contains("'staging'");
    assertThat(rows.get(2).detail()).contains("absent").contains("no transformation produced it");
  }
}
