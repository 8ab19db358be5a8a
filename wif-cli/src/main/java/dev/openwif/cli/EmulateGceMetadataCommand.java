package dev.openwif.cli;

import dev.openwif.emulator.gce.GceMetadataEmulator;
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
      "Point Google's libraries at it with GCE_METADATA_HOST=HOST:PORT."
    })
public final class EmulateGceMetadataCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8081",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--service-account-email",
      defaultValue = "openai-wif@my-project.iam.gserviceaccount.com",
      description = "The VM's default service account (default: ${DEFAULT-VALUE}).")
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
