package dev.openwif.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.AttributeTransformation;
import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompiledTransformationsTest {

  /** A Google Compute Engine identity token's claims ({@code format=full}). */
  static final Map<String, Object> GOOGLE =
      Map.of(
          "iss", "https://accounts.google.com",
          "aud", "https://wif.example.com",
          "azp", "107517467455664443765",
          "sub", "107517467455664443765",
          "email", "runner@my-project.iam.gserviceaccount.com",
          "email_verified", true,
          "iat", 1764140000L,
          "exp", 1764143600L,
          "google",
              Map.of(
                  "compute_engine",
                  Map.of(
                      "project_id", "my-project",
                      "project_number", 123456789012L,
                      "zone", "europe-west1-b",
                      "instance_id", "4424466712345678901",
                      "instance_name", "worker-1")));

  /** A GKE projected service account token's claims. */
  static final Map<String, Object> GKE =
      Map.of(
          "iss",
          "https://container.googleapis.com/v1/projects/my-project/locations/europe-west1/clusters/prod",
          "aud",
          List.of("https://wif.example.com"),
          "sub",
          "system:serviceaccount:payments:api-runner",
          "iat",
          1764140000L,
          "exp",
          1764143600L,
          "kubernetes.io",
          Map.of(
              "namespace", "payments",
              "serviceaccount", Map.of("name", "api-runner", "uid", "3b1f-..."),
              "pod", Map.of("name", "api-7d9c", "uid", "9a2e-...")));

  static Stream<Arguments> evaluations() {
    return Stream.of(
        Arguments.of(
            Named.of("plain claim (fast path)", "assertion.email"),
            GOOGLE,
            "runner@my-project.iam.gserviceaccount.com"),
        Arguments.of(
            Named.of("index lookup (fast path)", "assertion[\"sub\"]"),
            GKE,
            "system:serviceaccount:payments:api-runner"),
        Arguments.of(
            Named.of("single-quoted index lookup", "assertion['sub']"),
            GOOGLE,
            "107517467455664443765"),
        Arguments.of(
            Named.of("nested Google project id", "assertion.google.compute_engine.project_id"),
            GOOGLE,
            "my-project"),
        Arguments.of(
            Named.of("dotted Kubernetes key", "assertion[\"kubernetes.io\"].namespace"),
            GKE,
            "payments"),
        Arguments.of(
            Named.of("split of sub (string extension)", "assertion.sub.split(':')[2]"),
            GKE,
            "payments"),
        Arguments.of(
            Named.of(
                "lowerAscii (string extension)",
                "assertion.google.compute_engine.zone.upperAscii().lowerAscii()"),
            GOOGLE,
            "europe-west1-b"),
        Arguments.of(Named.of("boolean claim", "assertion.email_verified"), GOOGLE, true),
        Arguments.of(
            Named.of(
                "integer claim is a BigDecimal", "assertion.google.compute_engine.project_number"),
            GOOGLE,
            new BigDecimal("123456789012")),
        Arguments.of(
            Named.of("computed boolean", "assertion.email.endsWith('.iam.gserviceaccount.com')"),
            GOOGLE,
            true),
        Arguments.of(
            Named.of(
                "concatenation",
                "assertion['kubernetes.io'].namespace + '/' + assertion['kubernetes.io'].serviceaccount.name"),
            GKE,
            "payments/api-runner"),
        Arguments.of(
            Named.of("list of strings", "assertion.aud"), GKE, List.of("https://wif.example.com")),
        Arguments.of(
            Named.of("conditional with has()", "has(assertion.email) ? assertion.email : 'none'"),
            GKE,
            "none"));
  }

  @ParameterizedTest
  @MethodSource("evaluations")
  void evaluateWhenExpressionValidThenAttributeHasExpectedValue(
      String expression, Map<String, Object> claims, Object expected) throws Exception {
    CompiledTransformations t =
        CompiledTransformations.compile(List.of(new AttributeTransformation("x", expression)));

    assertThat(t.evaluate(claims)).containsExactly(Map.entry("openai.x", expected));
  }

  @Test
  void evaluateWhenSeveralThenAllPrefixedInOrder() throws Exception {
    CompiledTransformations t =
        CompiledTransformations.compile(
            List.of(
                new AttributeTransformation("namespace", "assertion['kubernetes.io'].namespace"),
                new AttributeTransformation("service_account", "assertion.sub.split(':')[3]")));

    assertThat(t.evaluate(GKE))
        .containsExactly(
            Map.entry("openai.namespace", "payments"),
            Map.entry("openai.service_account", "api-runner"));
  }

  @Test
  void evaluateWhenClaimsAreNimbusDatesThenSecondsAreSeen() throws Exception {
    CompiledTransformations t =
        CompiledTransformations.compile(
            List.of(new AttributeTransformation("late", "assertion.exp > 1000")));

    assertThat(t.evaluate(Map.of("exp", new Date(1764143600000L))))
        .containsEntry("openai.late", true);
  }

  static Stream<Arguments> compileFailures() {
    return Stream.of(
        Arguments.of(Named.of("syntax error", "assertion.sub +"), "ERROR: <input>:1:"),
        Arguments.of(
            Named.of("undeclared variable", "claims.sub"), "undeclared reference to 'claims'"),
        Arguments.of(Named.of("unknown function", "assertion.sub.shout()"), "ERROR: <input>:1:"),
        Arguments.of(Named.of("empty expression", ""), "ERROR: <input>:"));
  }

  @ParameterizedTest
  @MethodSource("compileFailures")
  void compileWhenExpressionInvalidThenErrorWithPosition(
      String expression, String expectedFragment) {
    List<AttributeTransformation> list =
        List.of(
            new AttributeTransformation("ok", "assertion.sub"),
            new AttributeTransformation("bad", expression));

    assertThatThrownBy(() -> CompiledTransformations.compile(list))
        .isInstanceOfSatisfying(
            InvalidTransformationException.class,
            e -> {
              assertThat(e.index()).isEqualTo(1);
              assertThat(e.attribute()).isEqualTo("bad");
              assertThat(e.getMessage()).contains(expectedFragment);
            });
  }

  static Stream<Arguments> evaluationFailures() {
    return Stream.of(
        Arguments.of(
            Named.of("missing claim (fast path)", "assertion.email"), "key 'email' is not present"),
        Arguments.of(
            Named.of("missing nested claim", "assertion.google.compute_engine.project_id"),
            "google"),
        Arguments.of(Named.of("map result", "assertion['kubernetes.io']"), "result of type map"),
        Arguments.of(Named.of("list of non-strings", "[1, 2]"), "list"),
        Arguments.of(Named.of("null result", "null"), "null"),
        Arguments.of(
            Named.of(
                "unbounded comprehension",
                "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, true)))"),
            "attribute 'x'"));
  }

  @ParameterizedTest
  @MethodSource("evaluationFailures")
  void evaluateWhenResultUnusableThenTransformationFailed(
      String expression, String expectedFragment) throws Exception {
    CompiledTransformations t =
        CompiledTransformations.compile(List.of(new AttributeTransformation("x", expression)));

    assertThatThrownBy(() -> t.evaluate(GKE))
        .isInstanceOfSatisfying(
            TransformationFailedException.class,
            e -> assertThat(e.detail()).contains(expectedFragment));
  }

  @Test
  void noneWhenEvaluatedThenEmpty() throws Exception {
    assertThat(CompiledTransformations.none().evaluate(GOOGLE)).isEmpty();
    assertThat(CompiledTransformations.compile(List.of()).size()).isZero();
  }
}
