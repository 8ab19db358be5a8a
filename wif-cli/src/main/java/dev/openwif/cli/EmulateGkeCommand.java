package dev.openwif.cli;

import dev.openwif.emulator.gke.GkeIssuerEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wif emulate gke}: a GKE cluster's service account issuer and a kubelet-rotated token file.
 */
@Command(
    name = "gke",
    mixinStandardHelpOptions = true,
    description = {
      "Emulate a GKE service account issuer.",
      "It serves /.well-known/openid-configuration and its JWKS, and writes a projected service"
          + " account token to --token-file, rewritten atomically at 80%% of its lifetime. Unlike"
          + " Kubernetes (minimum 600 s), any --expiration-seconds >= 1 is accepted, for tests."
    })
public final class EmulateGkeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8082",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--token-file",
      paramLabel = "PATH",
      description = "Where to write the projected token.")
  Optional<Path> tokenFile = Optional.empty();

  @Option(
      names = "--namespace",
      defaultValue = "default",
      description = "Pod namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--service-account",
      defaultValue = "openai-wif",
      description = "Kubernetes service account (default: ${DEFAULT-VALUE}).")
  String serviceAccount;

  @Option(
      names = "--pod-name",
      defaultValue = "openai-wif-app",
      description = "Pod name (default: ${DEFAULT-VALUE}).")
  String podName;

  @Option(
      names = "--audience",
      // Shown as is: picocli's "AUDIENCE[,AUDIENCE...]" is wrapped at its comma in the synopsis.
      paramLabel = "AUDIENCES",
      hideParamSyntax = true,
      defaultValue = "https://api.openai.com/v1",
      split = ",",
      description = "Audiences (default: ${DEFAULT-VALUE}), comma-separated.")
  List<String> audiences;

  @Option(
      names = "--expiration-seconds",
      defaultValue = "3600",
      description = "Token lifetime in seconds (default: ${DEFAULT-VALUE}).")
  long expirationSeconds;

  @CommandLine.Mixin EmulatorOptions common = new EmulatorOptions();

  @Override
  public Integer call() {
    try {
      GkeIssuerEmulator.Builder builder =
          GkeIssuerEmulator.builder()
              .host(common.host)
              .port(port)
              .namespace(namespace)
              .serviceAccount(serviceAccount)
              .podName(podName)
              .audiences(audiences)
              .expiration(Duration.ofSeconds(expirationSeconds));
      common.issuer.ifPresent(builder::issuer);
      common.keyFile.ifPresent(builder::keyFile);
      if (common.printJwks) {
        spec.commandLine().getOut().println(builder.resolveSigningKey().publicJwksJson());
        return 0;
      }
      if (tokenFile.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                CliErrors.PREFIX
                    + "--token-file PATH is required (where the projected token is written)");
        return 2;
      }
      builder.tokenFile(tokenFile.get());
      // Checked first: a bind failure inside the web server also logs its stack traces.
      Optional<String> listenProblem = ListenAddress.problem(common.host, port);
      if (listenProblem.isPresent()) {
        CliErrors.print(spec, listenProblem.get());
        return 1;
      }
      GkeIssuerEmulator cluster = builder.start();
      spec.commandLine()
          .getOut()
          .println(
              "GKE issuer emulator ready on "
                  + cluster.baseUrl()
                  + " (issuer "
                  + cluster.issuer()
                  + ", token file "
                  + cluster.tokenFile()
                  + ", sub "
                  + cluster.spec().subject()
                  + ", rotated every "
                  + Math.round(expirationSeconds * 0.8)
                  + " s)");
      spec.commandLine().getOut().flush();
      UntilShutdown.run(cluster);
      return 0;
    } catch (IllegalArgumentException e) {
      CliErrors.print(spec, e);
      return 2;
    } catch (RuntimeException e) {
      CliErrors.print(spec, e);
      return 1;
    }
  }
}
