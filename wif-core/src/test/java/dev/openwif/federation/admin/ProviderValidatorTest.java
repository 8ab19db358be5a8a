package dev.openwif.federation.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.attribute.CompiledTransformations;
import dev.openwif.federation.AdminValidationException;
import dev.openwif.federation.AttributeTransformation;
import dev.openwif.federation.Verification;
import dev.openwif.federation.WorkloadIdentityProvider;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProviderValidatorTest {
  static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");

  static WorkloadIdentityProvider valid() {
    return new WorkloadIdentityProvider(
        "wip_1",
        "gcp-prod",
        Optional.of("Production"),
        "https://accounts.google.com",
        "https://wif.example.com",
        true,
        List.of(
            new AttributeTransformation("project", "assertion.google.compute_engine.project_id")),
        new Verification.Discovery(Optional.empty()),
        false,
        NOW,
        NOW);
  }

  static ProviderPatch patch() {
    return new ProviderPatch(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  static ProviderPatch name(String v) {
    var p = patch();
    return new ProviderPatch(
        Optional.of(v),
        p.description(),
        p.issuer(),
        p.audience(),
        p.enabled(),
        p.attributeTransformations(),
        p.verification(),
        p.replayProtection());
  }

  static ProviderPatch issuer(String v) {
    var p = patch();
    return new ProviderPatch(
        p.name(),
        p.description(),
        Optional.of(v),
        p.audience(),
        p.enabled(),
        p.attributeTransformations(),
        p.verification(),
        p.replayProtection());
  }

  static ProviderPatch audience(String v) {
    var p = patch();
    return new ProviderPatch(
        p.name(),
        p.description(),
        p.issuer(),
        Optional.of(v),
        p.enabled(),
        p.attributeTransformations(),
        p.verification(),
        p.replayProtection());
  }

  static ProviderPatch transformations(List<AttributeTransformation> v) {
    var p = patch();
    return new ProviderPatch(
        p.name(),
        p.description(),
        p.issuer(),
        p.audience(),
        p.enabled(),
        Optional.of(v),
        p.verification(),
        p.replayProtection());
  }

  static ProviderPatch verification(Verification v) {
    var p = patch();
    return new ProviderPatch(
        p.name(),
        p.description(),
        p.issuer(),
        p.audience(),
        p.enabled(),
        p.attributeTransformations(),
        Optional.of(v),
        p.replayProtection());
  }

  static AttributeTransformation t(String attribute, String expression) {
    return new AttributeTransformation(attribute, expression);
  }

  static Stream<Arguments> refused() {
    List<AttributeTransformation> twentyOne =
        IntStream.range(0, 21).mapToObj(i -> t("a" + i, "assertion.sub")).toList();
    return Stream.of(
        Arguments.of(Named.of("blank name", name(" ")), "name", "must not be empty"),
        Arguments.of(Named.of("name too long", name("n".repeat(257))), "name", "at most 256"),
        Arguments.of(
            Named.of("issuer not https", issuer("http://accounts.google.com")), "issuer", "https"),
        Arguments.of(
            Named.of("issuer with query", issuer("https://accounts.google.com?x=1")),
            "issuer",
            "query"),
        Arguments.of(
            Named.of("issuer with fragment", issuer("https://accounts.google.com#x")),
            "issuer",
            "fragment"),
        Arguments.of(Named.of("empty audience", audience("")), "audience", "must not be empty"),
        Arguments.of(
            Named.of("NUL in name", name("a\u0000b")), "name", "control characters (U+0000"),
        Arguments.of(
            Named.of("escape in name", name("a\u001bb")), "name", "control characters (U+001B"),
        Arguments.of(
            Named.of("NUL in audience", audience("aud\u0000")), "audience", "control characters"),
        Arguments.of(
            Named.of(
                "NUL in expression", transformations(List.of(t("a", "assertion.sub + '\u0000'")))),
            "attribute_transformations[0].expression",
            "control characters"),
        Arguments.of(
            Named.of("21 transformations", transformations(twentyOne)),
            "attribute_transformations",
            "At most 20"),
        Arguments.of(
            Named.of(
                "upper-case attribute", transformations(List.of(t("Project", "assertion.sub")))),
            "attribute_transformations[0].attribute",
            "[a-z0-9_]{1,64}"),
        Arguments.of(
            Named.of("attribute with dot", transformations(List.of(t("a.b", "assertion.sub")))),
            "attribute_transformations[0].attribute",
            "[a-z0-9_]{1,64}"),
        Arguments.of(
            Named.of(
                "attribute too long", transformations(List.of(t("a".repeat(65), "assertion.sub")))),
            "attribute_transformations[0].attribute",
            "[a-z0-9_]{1,64}"),
        Arguments.of(
            Named.of(
                "duplicate attribute",
                transformations(List.of(t("a", "assertion.sub"), t("a", "assertion.iss")))),
            "attribute_transformations[1].attribute",
            "defined twice"),
        Arguments.of(
            Named.of(
                "expression too long",
                transformations(List.of(t("a", "'" + "x".repeat(4100) + "'")))),
            "attribute_transformations[0].expression",
            "at most 4096"),
        Arguments.of(
            Named.of(
                "expression does not compile",
                transformations(List.of(t("a", "assertion.sub"), t("b", "assertion.sub +")))),
            "attribute_transformations[1].expression",
            "ERROR: <input>:1:"),
        Arguments.of(
            Named.of("blank expression", transformations(List.of(t("a", " ")))),
            "attribute_transformations[0].expression",
            "must not be empty"),
        Arguments.of(
            Named.of(
                "discovery URL with query",
                verification(new Verification.Discovery(Optional.of("https://a.example.com/x?y")))),
            "verification.discovery_url",
            "query"),
        Arguments.of(
            Named.of(
                "JWKS without keys", verification(new Verification.UploadedJwks("{\"keys\":[]}"))),
            "verification.jwks",
            "at least one key"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void checkWhenRuleBrokenThenRefusedNamingParam(
      ProviderPatch patch, String param, String fragment) {
    WorkloadIdentityProvider candidate = patch.applyTo(valid(), NOW);

    assertThatThrownBy(
            () ->
                new ProviderValidator(false, CompiledTransformations::firstError).check(candidate))
        .isInstanceOf(AdminValidationException.class)
        .hasMessageContaining(fragment)
        .extracting(e -> ((AdminValidationException) e).param())
        .isEqualTo(param);
  }

  @Test
  void checkWhenValidThenAccepted() {
    assertThatCode(
            () -> new ProviderValidator(false, CompiledTransformations::firstError).check(valid()))
        .doesNotThrowAnyException();
  }

  @Test
  void checkWhenHttpIssuerInDevThenAccepted() {
    WorkloadIdentityProvider candidate = issuer("http://127.0.0.1:8082").applyTo(valid(), NOW);

    assertThatCode(
            () -> new ProviderValidator(true, CompiledTransformations::firstError).check(candidate))
        .doesNotThrowAnyException();
  }

  @Test
  void checkWhenTwentyTransformationsThenAccepted() {
    var twenty = IntStream.range(0, 20).mapToObj(i -> t("a" + i, "assertion.sub")).toList();

    assertThatCode(
            () ->
                new ProviderValidator(false, CompiledTransformations::firstError)
                    .check(transformations(twenty).applyTo(valid(), NOW)))
        .doesNotThrowAnyException();
  }
}
