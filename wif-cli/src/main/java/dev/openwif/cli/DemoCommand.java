package dev.openwif.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.demo.GuideDemo;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code wif demo}: runs the Google Cloud guide end to end on this machine; see {@link GuideDemo}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Walk through the Google Cloud workload identity guide in one process.",
      "A temporary OpenWIF server, an emulated metadata server and GKE cluster, both scenarios with"
          + " the client library, and one refused exchange with its audit reason. Exits 0 only if"
          + " every step did what the guide says."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JwtDecoder decoder = new JwtDecoder(new ObjectMapper());
    return new GuideDemo(
            spec.commandLine().getOut(),
            spec.commandLine().getErr(),
            token -> payload(decoder, token),
            Clock.systemUTC(),
            new SecureRandom())
        .run();
  }

  private static ObjectNode payload(JwtDecoder decoder, String token) {
    try {
      return decoder.decode(token).payload();
    } catch (JwtDecoder.NotAJwtException e) {
      throw new IllegalStateException("the subject token is not a JWT: " + e.getMessage(), e);
    }
  }
}
