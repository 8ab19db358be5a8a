package dev.openwif.federation.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.FederationRule;
import dev.openwif.federation.Permissions;
import dev.openwif.federation.ScopeCatalogue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleValidatorTest {
  static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");

  static FederationRule rule(
      Optional<String> name, Map<String, Object> matchers, Permissions permissions) {
    return new FederationRule(
        "wifr_1",
        "wip_1",
        name,
        Optional.empty(),
        true,
        matchers,
        "proj_1",
        "svc_acct_1",
        permissions,
        false,
        NOW,
        NOW);
  }

  static FederationRule matchers(Map<String, Object> matchers) {
    return rule(Optional.of("r"), matchers, new Permissions.ServiceAccountDefault());
  }

  static Map<String, Object> one(String key, Object value) {
    Map<String, Object> m = new HashMap<>();
    m.put(key, value);
    return m;
  }

  static Stream<Arguments> refused() {
    Map<String, Object> many =
        IntStream.range(0, 51).boxed().collect(Collectors.toMap(i -> "k" + i, i -> "v"));
    return Stream.of(
        Arguments.of(
            Named.of("no matcher", matchers(Map.of())), "attribute_matchers", "at least one"),
        Arguments.of(
            Named.of("too many matchers", matchers(many)), "attribute_matchers", "At most 50"),
        Arguments.of(
            Named.of("empty key", matchers(Map.of("", "x"))), "attribute_matchers", "1 to 256"),
        Arguments.of(
            Named.of("key too long", matchers(Map.of("k".repeat(257), "x"))),
            "attribute_matchers",
            "1 to 256"),
        Arguments.of(
            Named.of("null value", matchers(one("sub", null))),
            "attribute_matchers.sub",
            "string, boolean or number"),
        Arguments.of(
            Named.of("array value", matchers(Map.of("sub", List.of("a")))),
            "attribute_matchers.sub",
            "string, boolean or number"),
        Arguments.of(
            Named.of("object value", matchers(Map.of("sub", Map.of()))),
            "attribute_matchers.sub",
            "string, boolean or number"),
        Arguments.of(
            Named.of("value too long", matchers(Map.of("sub", "v".repeat(1025)))),
            "attribute_matchers.sub",
            "at most 1024"),
        Arguments.of(
            Named.of("NUL in key", matchers(Map.of("s\u0000ub", "x"))),
            "attribute_matchers",
            "control characters"),
        Arguments.of(
            Named.of("NUL in value", matchers(Map.of("sub", "x\u0000"))),
            "attribute_matchers.sub",
            "control characters"),
        Arguments.of(
            Named.of(
                "newline in name",
                rule(
                    Optional.of("a\nb"),
                    Map.of("sub", "x"),
                    new Permissions.ServiceAccountDefault())),
            "name",
            "control characters"),
        Arguments.of(
            Named.of(
                "blank name",
                rule(Optional.of(""), Map.of("sub", "x"), new Permissions.ServiceAccountDefault())),
            "name",
            "must not be empty"),
        Arguments.of(
            Named.of(
                "restricted without scopes",
                rule(Optional.empty(), Map.of("sub", "x"), new Permissions.Restricted(Set.of()))),
            "permissions.scopes",
            "at least one scope"),
        Arguments.of(
            Named.of(
                "unknown scope",
                rule(
                    Optional.empty(),
                    Map.of("sub", "x"),
                    new Permissions.Restricted(Set.of("api.everything")))),
            "permissions.scopes",
            "Unknown scope 'api.everything'"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void checkWhenRuleBrokenThenRefusedNamingParam(
      FederationRule rule, String param, String fragment) {
    assertThatThrownBy(() -> RuleValidator.check(rule))
        .isInstanceOf(AdminValidationException.class)
        .hasMessageContaining(fragment)
        .extracting(e -> ((AdminValidationException) e).param())
        .isEqualTo(param);
  }

  @Test
  void checkWhenStringBooleanAndNumberMatchersThenAccepted() {
    var rule =
        rule(
            Optional.empty(),
            Map.of(
                "sub",
                "x",
                "email_verified",
                true,
                "google.compute_engine.project_number",
                new BigDecimal("123")),
            new Permissions.Restricted(Set.of("api.model.request")));

    assertThatCode(() -> RuleValidator.check(rule)).doesNotThrowAnyException();
  }

  @Test
  void checkWhenEveryCatalogueScopeThenAcceptedAndANearMissRefused() {
    var all =
        rule(Optional.empty(), Map.of("sub", "x"), new Permissions.Restricted(ScopeCatalogue.ALL));
    var nearMiss =
        rule(
            Optional.empty(),
            Map.of("sub", "x"),
            new Permissions.Restricted(Set.of("api.files.read", "api.vector_stores.read")));

    assertThatCode(() -> RuleValidator.check(all)).doesNotThrowAnyException();
    assertThatThrownBy(() -> RuleValidator.check(nearMiss))
        .isInstanceOf(AdminValidationException.class)
        .hasMessageContaining("Unknown scope 'api.vector_stores.read'")
        .hasMessageContaining("api.vector_store.read");
  }
}
