package dev.openwif.cli.demo;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuideClaimsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "http://127.0.0.1:8081";
  private static final String SUB = "110123456789012345678";
  private static final String EMAIL = "openai-wif@my-project.iam.gserviceaccount.com";
  private final DemoConsole console = new DemoConsole(new PrintWriter(new StringWriter()), JSON);

  private static ObjectNode google() {
    ObjectNode claims =
        JSON.createObjectNode()
            .put("iss", ISSUER)
            .put("aud", DemoStack.AUDIENCE)
            .put("azp", SUB)
            .put("sub", SUB)
            .put("email", EMAIL)
            .put("email_verified", true)
            .put("iat", 1716235422L)
            .put("exp", 1716239022L);
    return claims;
  }

  private static ObjectNode gke() {
    ObjectNode claims =
        JSON.createObjectNode().put("iss", ISSUER).put("sub", GuideSetup.GKE_SUBJECT);
    claims.putArray("aud").add(DemoStack.AUDIENCE);
    ObjectNode k8s = claims.putObject("kubernetes.io").put("namespace", "default");
    k8s.putObject("serviceaccount").put("name", "openai-wif");
    return claims;
  }

  private static Arguments mismatch(String name, Consumer<ObjectNode> change, String message) {
    return Arguments.of(Named.of(name, change), message);
  }

  static Stream<Arguments> googleMismatches() {
    return Stream.of(
        mismatch(
            "other issuer",
            c -> c.put("iss", "https://accounts.google.com"),
            "iss should be " + ISSUER + ", it is https://accounts.google.com"),
        mismatch(
            "other audience",
            c -> c.put("aud", "https://elsewhere"),
            "aud should be https://api.openai.com/v1, it is https://elsewhere"),
        mismatch(
            "no email (standard format)",
            c -> c.remove("email"),
            "email should be " + EMAIL + ", it is missing"),
        mismatch(
            "email not verified",
            c -> c.put("email_verified", false),
            "email_verified should be true"),
        mismatch(
            "lifetime not one hour",
            c -> c.put("exp", 1716235422L + 60),
            "exp should be iat + 3600"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("googleMismatches")
  void googleWhenAClaimDiffersFromTheGuideThenFailsNamingIt(
      Consumer<ObjectNode> change, String message) {
    ObjectNode claims = google();
    change.accept(claims);

    assertThatThrownBy(() -> GuideClaims.google(console, ISSUER, SUB, EMAIL).accept(claims))
        .isInstanceOf(DemoFailure.class)
        .hasMessage(message);
  }

  @Test
  void googleWhenClaimsAreTheGuidesThenPasses() {
    assertThatCode(() -> GuideClaims.google(console, ISSUER, SUB, EMAIL).accept(google()))
        .doesNotThrowAnyException();
  }

  static Stream<Arguments> gkeMismatches() {
    return Stream.of(
        mismatch(
            "other namespace in sub",
            c -> c.put("sub", "system:serviceaccount:other:intruder"),
            "sub should be system:serviceaccount:default:openai-wif, it is system:serviceaccount:other:intruder"),
        mismatch(
            "audience as a string",
            c -> c.put("aud", DemoStack.AUDIENCE),
            "aud should be the array [\"https://api.openai.com/v1\"], it is \"https://api.openai.com/v1\""),
        mismatch(
            "other service account claim",
            c ->
                ((ObjectNode) c.get("kubernetes.io").get("serviceaccount")).put("name", "intruder"),
            "kubernetes.io should name namespace default and service account openai-wif, it is "
                + "{\"namespace\":\"default\",\"serviceaccount\":{\"name\":\"intruder\"}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gkeMismatches")
  void gkeWhenAClaimDiffersFromTheGuideThenFailsNamingIt(
      Consumer<ObjectNode> change, String message) {
    ObjectNode claims = gke();
    change.accept(claims);

    assertThatThrownBy(() -> GuideClaims.gke(console, ISSUER).accept(claims))
        .isInstanceOf(DemoFailure.class)
        .hasMessage(message);
  }

  @Test
  void gkeWhenClaimsAreTheGuidesThenPasses() {
    assertThatCode(() -> GuideClaims.gke(console, ISSUER).accept(gke())).doesNotThrowAnyException();
  }
}
