package dev.openwif.cli;

import dev.openwif.emulator.gce.GceMetadataEmulator;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wif emulate gce-metadata}: Google's metadata server on a local port, until stopped. */
@Command(
    name = "gce-metadata",
    mixinStandardHelpOptions = true,
    description = {
      "Emulate the Google Compute Engine metadata server (identity tokens, service account, project, zone).",
      "Point Google's libraries at it with GCE_METADATA_HOST=HOST:PORT.",
      // Here, not in the option's description: that column is too narrow for it on one line.
      "The default service account is " + EmulateGceMetadataCommand.DEFAULT_SERVICE_ACCOUNT + "."
    })
public final class EmulateGceMetadataCommand implements Callable<Integer> {
  static final String DEFAULT_SERVICE_ACCOUNT = "openai-wif@my-project.iam.gserviceaccount.com";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8081",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--service-account-email",
      paramLabel = "EMAIL",
      defaultValue = DEFAULT_SERVICE_ACCOUNT,
      description = "The VM's default service account (default: see above).")
  String serviceAccountEmail;

  @Option(
      names = "--project-id",
      defaultValue = "my-project",
      description = "Project id (default: ${DEFAULT-VALUE}).")
  String projectId;

  @Option(
      names = "--zone",
      defaultValue = "us-central1-a",
      description = "Zone (default: ${DEFAULT-VALUE}).")
  String zone;

  @CommandLine.Mixin EmulatorOptions common = new EmulatorOptions();

  @Override
  public Integer call() {
    try {
      GceMetadataEmulator.Builder builder =
          GceMetadataEmulator.builder()
              .host(common.host)
              .port(port)
              .serviceAccountEmail(serviceAccountEmail)
              .projectId(projectId)
              .zone(zone);
      common.issuer.ifPresent(builder::issuer);
      common.keyFile.ifPresent(builder::keyFile);
      if (common.printJwks) {
        if (common.keyFile.isEmpty()) {
          spec.commandLine()
              .getErr()
              .println(
                  "note: without --key-file the key is new on every run; this JWKS will not match a later run");
        }
        spec.commandLine().getOut().println(builder.resolveSigningKey().publicJwksJson());
        return 0;
      }
      // Checked first: a bind failure inside the web server also logs its stack traces.
      Optional<String> listenProblem = ListenAddress.problem(common.host, port);
      if (listenProblem.isPresent()) {
        CliErrors.print(spec, listenProblem.get());
        return 1;
      }
      GceMetadataEmulator metadata = builder.start();
      spec.commandLine()
          .getOut()
          .println(
              "GCE metadata emulator ready on "
                  + metadata.baseUrl()
                  + " (GCE_METADATA_HOST="
                  + metadata.metadataHost()
                  + ", issuer "
                  + metadata.issuer()
                  + ", service account "
                  + serviceAccountEmail
                  + ")");
      spec.commandLine().getOut().flush();
      UntilShutdown.run(metadata);
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
