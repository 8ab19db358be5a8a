package dev.openwif.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Output;
import dev.openwif.cli.admin.OutputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wif token explain [TOKEN | -] --provider ID --service-account ID}: asks the server why an
 * exchange of this subject token would succeed or be refused ({@code POST
 * /v1/organization/workload_identity_providers/{id}/explain}, admin key required) and prints every
 * check, one line each: a mark ({@code ✓} passed, {@code ✗} failed, {@code ·} not run), the check,
 * its detail; {@code -o json} prints the server's answer. Nothing is minted and the token is not
 * used up. Exit 0 when the exchange would succeed, 1 when it would be refused (or the server
 * refused the request), 2 for a usage error, 3 when the server cannot be reached.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Ask the server why an exchange of this subject token would succeed or be refused.",
      "Every check is shown, passed or failed and why: signature, issuer, audience, times, rules.",
      "Nothing is minted and the token is not used up.",
      "Exit 0 when the exchange would succeed, 1 when it would be refused."
    })
public final class TokenExplainCommand extends RemoteAdminCommand {
  private static final int MAX_INPUT_BYTES = 1 << 20;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TOKEN",
      description =
          "The subject token (a JWT); '-' or nothing reads it from standard input, which keeps it"
              + " out of the shell history.")
  String token = "-";

  @Option(
      names = "--provider",
      required = true,
      paramLabel = "ID",
      description = "The workload identity provider the exchange would name.")
  String provider;

  @Option(
      names = "--service-account",
      required = true,
      paramLabel = "ID",
      description = "The service account the exchange would ask for.")
  String serviceAccount;

  private final InputStream stdin;
  private final boolean unicode;

  public TokenExplainCommand() {
    this(System.in, System.out.charset().newEncoder().canEncode("✓✗·"));
  }

  /**
   * @param unicode whether the terminal can show {@code ✓ ✗ ·}; otherwise {@code ok}, {@code FAIL}
   *     and {@code -} mark the lines
   */
  TokenExplainCommand(InputStream stdin, boolean unicode) {
    this.stdin = Objects.requireNonNull(stdin, "stdin");
    this.unicode = unicode;
  }

  @Override
  public Integer call() {
    String subjectToken;
    try {
      subjectToken = (token.equals("-") ? readStdin() : token).strip();
    } catch (IOException e) {
      CliErrors.print(spec, "cannot read the token from standard input: " + e.getMessage());
      return 2;
    }
    if (subjectToken.isEmpty()) {
      CliErrors.print(spec, "no token given: pass it as an argument or on standard input");
      return 2;
    }
    String given = subjectToken;
    return run(client -> explain(client, given));
  }

  private int explain(AdminApiClient client, String subjectToken) {
    ObjectNode body = AdminApiClient.json().createObjectNode();
    body.put("subject_token", subjectToken);
    body.put("service_account_id", serviceAccount);
    JsonNode answer =
        client.post(
            "/workload_identity_providers/" + AdminApiClient.segment(provider) + "/explain", body);
    PrintWriter out = spec.commandLine().getOut();
    if (output.format() == OutputFormat.table) {
      out.print(render(answer, unicode));
    } else {
      Output.print(out, output.format(), answer, List.of());
    }
    out.flush();
    return answer.path("would_succeed").asBoolean(false) ? 0 : 1;
  }

  /**
   * The answer for people: one aligned line per check, mark, check and subject, detail; then the
   * verdict.
   */
  static String render(JsonNode answer, boolean unicode) {
    List<String[]> lines = new ArrayList<>();
    int width = 0;
    for (JsonNode check : answer.path("checks")) {
      String subject = check.path("subject").asText("");
      String label = check.path("check").asText() + (subject.isEmpty() ? "" : " " + subject);
      String detail = check.path("detail").asText("");
      String reason = check.path("reason_code").asText("");
      if (!reason.isEmpty()) {
        detail = reason + ": " + detail;
      }
      lines.add(new String[] {mark(check.path("outcome").asText(), unicode), label, detail});
      width = Math.max(width, label.length());
    }
    StringBuilder text = new StringBuilder();
    for (String[] line : lines) {
      text.append(line[0])
          .append(' ')
          .append(line[1])
          .append(" ".repeat(width - line[1].length()))
          .append("  ")
          .append(line[2])
          .append(System.lineSeparator());
    }
    if (answer.path("would_succeed").asBoolean(false)) {
      text.append("The exchange would succeed under rule ")
          .append(answer.path("rule_id").asText())
          .append('.');
    } else {
      text.append("The exchange would be refused at ")
          .append(answer.path("failed_check").asText("?"))
          .append(" (")
          .append(answer.path("reason_code").asText("?"))
          .append(").");
    }
    return text.append(System.lineSeparator()).toString();
  }

  private static String mark(String outcome, boolean unicode) {
    return switch (outcome) {
      case "passed" -> unicode ? "✓" : "ok  ";
      case "failed" -> unicode ? "✗" : "FAIL";
      default -> unicode ? "·" : "-   ";
    };
  }

  private String readStdin() throws IOException {
    byte[] bytes = stdin.readNBytes(MAX_INPUT_BYTES + 1);
    if (bytes.length > MAX_INPUT_BYTES) {
      throw new IOException("input is larger than 1 MiB");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
