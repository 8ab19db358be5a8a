package dev.openwif.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.WifCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code wif demo} in-process, as a user runs it: every step passes, the output is readable and
 * leaks nothing.
 */
class GuideDemoIT {
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  @Test
  void demoWhenRunThenBothScenariosSucceedTheRefusalIsExplainedAndExitCodeIsZero() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        WifCommand.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute("demo");

    String text = out.toString();
    assertThat(err.toString()).doesNotContain("FAILED");
    assertThat(exitCode).isZero();
    assertThat(text)
        .contains("== 2. Google workload identity ==")
        .contains("== 3. Google Kubernetes Engine ==")
        .contains("== 4. A refused exchange ==")
        .contains("ok  provider         google-workload-identity-prod")
        .contains("ok  provider         google-gke-prod")
        .contains("ok  mapping          compute-openai-wif")
        .contains("ok  mapping          default-openai-wif")
        .contains("transform    subject = assertion.sub  -> openai.subject")
        .contains("match        sub = system:serviceaccount:default:openai-wif")
        .contains("\"sub\": \"system:serviceaccount:default:openai-wif\"")
        .contains("\"email\": \"openai-wif@my-project.iam.gserviceaccount.com\"")
        .contains("expires_in     3600 s")
        .contains("answer         401 invalid_grant")
        .contains("reason_code    no_matching_rule")
        .contains("subject        system:serviceaccount:other:intruder")
        .contains(GuideDemo.SUCCESS);
    String unwrapped = text.replaceAll("\\s+", " ");
    assertThat(unwrapped)
        .contains(
            "output_text Hello from OpenWIF (demo model): you said \""
                + GuideDemo.COMPUTE_INPUT
                + "\"")
        .contains(
            "output_text Hello from OpenWIF (demo model): you said \"" + GuideDemo.GKE_INPUT + "\"")
        .contains("detail rule wifr_")
        .contains(
            "sub was 'system:serviceaccount:other:intruder', "
                + "expected 'system:serviceaccount:default:openai-wif'");
    assertThat(text.lines().filter(l -> l.contains("ok  ")).count()).isEqualTo(14);
    assertThat(text.lines().toList())
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    assertThat(JWT.matcher(text).find()).as("no whole token is printed").isFalse();
  }

  @Test
  void demoWhenATokenClaimDiffersFromTheGuideThenExitCodeIsOneAndTheMismatchIsNamed() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ObjectMapper json = new ObjectMapper();
    GuideDemo demo =
        new GuideDemo(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            token -> withWrongAudienceInGkeTokens(json, token),
            Clock.systemUTC(),
            new SecureRandom());

    int exitCode = demo.run();

    assertThat(exitCode).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "wif: error: demo FAILED: aud should be the array [\"https://api.openai.com/v1\"], it is [\"https://elsewhere\"]"
                + System.lineSeparator());
    assertThat(out.toString())
        .contains("== 3. Google Kubernetes Engine ==")
        .doesNotContain(GuideDemo.SUCCESS);
  }

  /** Decodes the payload, then replaces {@code aud} of projected (array-audience) tokens. */
  private static ObjectNode withWrongAudienceInGkeTokens(ObjectMapper json, String token) {
    try {
      byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
      ObjectNode claims = (ObjectNode) json.readTree(new String(payload, StandardCharsets.UTF_8));
      if (claims.path("aud").isArray()) {
        claims.set("aud", json.valueToTree(List.of("https://elsewhere")));
      }
      return claims;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
