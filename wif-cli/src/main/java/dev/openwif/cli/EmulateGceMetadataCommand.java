package dev.openwif.cli;

import dev.openwif.emulator.gce.GceMetadataEmulator;
import java.nio.file.Path;
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
      "Point Google's libraries at it with GCE_METADATA_HOST=HOST:PORT."
    })
public final class EmulateGceMetadataCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "8081", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--service-account-email",
      defaultValue = "openai-wif@my-project.iam.gserviceaccount.com",
      description = "The VM's default service account (default: ${DEFAULT-VALUE}).")
  String serviceAccountEmail;

  @Option(names = "--project-id", defaultValue = "my-project", description = "Project id (default: ${DEFAULT-VALUE}).")
  String projectId;

  @Option(names = "--zone", defaultValue = "us-central1-a", description = "Zone (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(
      names = "--issuer",
      description = "The iss of minted tokens, e.g. https://accounts.google.com (default: the emulator's base URL).")
  Optional<String> issuer = Optional.empty();

  @Option(
      names = "--key-file",
      paramLabel = "PATH",
      description = "Private JWK file of the signing key; created when absent, so a printed JWKS stays valid.")
  Optional<Path> keyFile = Optional.empty();

  @Option(names = "--print-jwks", description = "Print the public JWKS (for an uploaded_jwks provider) and exit.")
  boolean printJwks;

  @Override
  public Integer call() {
    try {
      GceMetadataEmulator.Builder builder =
          GceMetadataEmulator.builder().host(host).port(port).serviceAccountEmail(serviceAccountEmail).projectId(projectId).zone(zone);
      issuer.ifPresent(builder::issuer);
      keyFile.ifPresent(builder::keyFile);
      if (printJwks) {
        if (keyFile.isEmpty()) {
          spec.commandLine().getErr().println("note: without --key-file the key is new on every run; this JWKS will not match a later run");
        }
        spec.commandLine().getOut().println(builder.resolveSigningKey().publicJwksJson());
        return 0;
      }
      GceMetadataEmulator metadata = builder.start();
      spec.commandLine()
          .getOut()
          .println(
              "GCE metadata emulator ready on " + metadata.baseUrl() + " (GCE_METADATA_HOST=" + metadata.metadataHost()
                  + ", issuer " + metadata.issuer() + ", service account " + serviceAccountEmail + ")");
      spec.commandLine().getOut().flush();
      UntilShutdown.run(metadata);
      return 0;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
  }
}
