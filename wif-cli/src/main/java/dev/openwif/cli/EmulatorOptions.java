package dev.openwif.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options both {@code wif emulate} commands take: address, issuer and signing key. */
final class EmulatorOptions {
  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--issuer",
      description = {
        "The iss of minted tokens (default: the emulator's base URL).",
        "Google's is https://accounts.google.com."
      })
  Optional<String> issuer = Optional.empty();

  @Option(
      names = "--key-file",
      paramLabel = "PATH",
      description =
          "Private JWK file of the signing key; created when absent, so a printed JWKS stays valid.")
  Optional<Path> keyFile = Optional.empty();

  @Option(
      names = "--print-jwks",
      description = "Print the public JWKS (for an uploaded_jwks provider) and exit.")
  boolean printJwks;
}
