package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TokenDecodeCommandTest {
  private static final String TOKEN =
      JwtDecoderTest.b64("{\"alg\":\"RS256\"}")
          + "."
          + JwtDecoderTest.b64(
              "{\"sub\":\"s\",\"exp\":1716239022,\"aud\":[\"https://api.openai.com/v1\"]}")
          + ".c2ln";

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String stdin, String... args) {
    TokenDecodeCommand command =
        new TokenDecodeCommand(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            Clock.fixed(Instant.parse("2024-05-20T20:00:00Z"), ZoneOffset.UTC));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void callWhenTokenArgumentThenDecodedAndExit0() {
    Run run = run("", TOKEN);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("\"sub\": \"s\"", "Status: expires in 1 h 3 min", JwtDecodeReport.NOT_VERIFIED);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void callWhenDashOrNoArgumentThenReadsStandardInput() {
    assertThat(run(TOKEN + "\n", "-").out()).contains("\"sub\": \"s\"");
    assertThat(run(TOKEN + "\n").out()).contains("\"sub\": \"s\"");
  }

  @Test
  void callWhenNotAJwtThenExit2WithOneLineErrorAndNoStackTrace() {
    Run run = run("", "definitely-not-a-jwt");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "wif: error: not a JWT: expected 3 segments separated by '.', found 1"
                + System.lineSeparator());
    assertThat(run.out()).isEmpty();
  }

  @Test
  void callWhenStdinEmptyThenExit2() {
    Run run = run("");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no token given");
  }

  @Test
  void callWhenJsonThenOnlyThePayloadAsOneJsonObject() throws Exception {
    Run run = run("", "--json", TOKEN);

    assertThat(run.exitCode()).isZero();
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out()))
        .isEqualTo(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(
                    "{\"sub\":\"s\",\"exp\":1716239022,\"aud\":[\"https://api.openai.com/v1\"]}"));
    assertThat(run.err()).isEmpty();
  }

  @Test
  void callWhenJsonThenThePayloadExactlyAsThePlainOutputPrintsIt() {
    String plain = run("", TOKEN).out();
    String payload =
        plain.substring(
            plain.indexOf("Payload:\n") + "Payload:\n".length(), plain.indexOf("\nTimes"));

    String json = run("", "--json", TOKEN).out();

    assertThat(json).isEqualTo(payload + System.lineSeparator());
    assertThat(json)
        .contains("\"sub\": \"s\"")
        .doesNotContain("\" :")
        .containsSubsequence("\"sub\"", "\"exp\"", "\"aud\"");
  }

  @Test
  void callWhenClaimThenItsValueRawStringsWithoutQuotesOthersAsJson() {
    assertThat(run("", "--claim", "sub", TOKEN).out()).isEqualTo("s" + System.lineSeparator());
    assertThat(run("", "--claim", "exp", TOKEN).out())
        .isEqualTo("1716239022" + System.lineSeparator());
    assertThat(run("", "--claim", "aud", TOKEN).out())
        .isEqualTo("[\"https://api.openai.com/v1\"]" + System.lineSeparator());
  }

  @Test
  void callWhenClaimAbsentThenExit1AndOneLineNamingIt() {
    Run run = run("", "--claim", "email", TOKEN);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("wif: error: the token has no claim 'email'" + System.lineSeparator());
  }
}
