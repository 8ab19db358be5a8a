package dev.openwif.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wif token decode [--json | --claim NAME] [TOKEN | -]}: prints a JWT's header and claims,
 * never sending it anywhere. {@code --json} prints only the payload (the claims) as one JSON
 * object, for {@code jq}; {@code --claim NAME} prints one claim's value raw (a string without
 * quotes, other values as compact JSON). Exit 0 when decoded, 1 when the claim is absent, 2 when
 * the input is not a JWT.
 */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Decode a JWT locally: header and payload as JSON, times in ISO-8601, expiry status.",
      "The signature is NOT verified and the token is not sent anywhere."
    })
public final class TokenDecodeCommand implements Callable<Integer> {
  private static final int MAX_INPUT_BYTES = 1 << 20;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TOKEN",
      description = "The JWT; '-' or nothing reads it from standard input.")
  String token = "-";

  @Option(
      names = "--json",
      description = "Print only the payload (the claims) as one JSON object, for jq.")
  boolean json;

  @Option(
      names = "--claim",
      paramLabel = "NAME",
      description =
          "Print only this claim's value: a string as is, anything else as JSON. Fails when the"
              + " token has no such claim.")
  String claim;

  private final InputStream stdin;
  private final Clock clock;

  public TokenDecodeCommand() {
    this(System.in, Clock.systemUTC());
  }

  TokenDecodeCommand(InputStream stdin, Clock clock) {
    this.stdin = Objects.requireNonNull(stdin, "stdin");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Integer call() {
    if (json && claim != null) {
      CliErrors.print(spec, "--json and --claim cannot be used together");
      return 2;
    }
    String input;
    try {
      input = token.equals("-") ? readStdin() : token;
    } catch (IOException e) {
      CliErrors.print(spec, "cannot read the token from standard input: " + e.getMessage());
      return 2;
    }
    ObjectMapper mapper = new ObjectMapper();
    JwtDecoder.DecodedJwt decoded;
    try {
      decoded = new JwtDecoder(mapper).decode(input);
    } catch (JwtDecoder.NotAJwtException e) {
      CliErrors.print(spec, e);
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (claim != null) {
      JsonNode value = decoded.payload().get(claim);
      if (value == null) {
        CliErrors.print(spec, "the token has no claim '" + claim + "'");
        return 1;
      }
      out.println(value.isTextual() ? value.asText() : value.toString());
    } else if (json) {
      out.println(JwtDecodeReport.pretty(mapper, decoded.payload()));
    } else {
      out.print(new JwtDecodeReport(mapper, clock).render(decoded));
    }
    out.flush();
    return 0;
  }

  private String readStdin() throws IOException {
    byte[] bytes = stdin.readNBytes(MAX_INPUT_BYTES + 1);
    if (bytes.length > MAX_INPUT_BYTES) {
      throw new IOException("input is larger than 1 MiB");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
