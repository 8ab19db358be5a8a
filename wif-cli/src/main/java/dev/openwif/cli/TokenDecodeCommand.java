package dev.openwif.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code wif token decode [TOKEN | -]}: prints a JWT's header and claims, never sending it
 * anywhere. Exit 0 when decoded, 2 when the input is not a JWT.
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
    String input;
    try {
      input = token.equals("-") ? readStdin() : token;
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println("error: cannot read the token from standard input: " + e.getMessage());
      return 2;
    }
    ObjectMapper json = new ObjectMapper();
    try {
      JwtDecoder.DecodedJwt decoded = new JwtDecoder(json).decode(input);
      spec.commandLine().getOut().print(new JwtDecodeReport(json, clock).render(decoded));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (JwtDecoder.NotAJwtException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
  }

  private String readStdin() throws IOException {
    byte[] bytes = stdin.readNBytes(MAX_INPUT_BYTES + 1);
    if (bytes.length > MAX_INPUT_BYTES) {
      throw new IOException("input is larger than 1 MiB");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
