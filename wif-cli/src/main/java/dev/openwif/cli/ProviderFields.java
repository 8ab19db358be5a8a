package dev.openwif.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.AdminApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The fields of a workload identity provider's create or update body, as options over an optional
 * {@code -f} body (a picocli mixin). Names follow the admin API's members: {@code issuer}, {@code
 * audience}, {@code attribute_transformations}, {@code verification}, {@code replay_protection}.
 */
final class ProviderFields extends BodyFields {
  @Option(names = "--name", paramLabel = "NAME", description = "The provider's name.")
  Optional<String> name = Optional.empty();

  @Option(names = "--description", paramLabel = "TEXT", description = "What the provider is for.")
  Optional<String> description = Optional.empty();

  @Option(
      names = "--issuer",
      paramLabel = "URL",
      description = "The issuer URL subject tokens must carry in iss, byte for byte.")
  Optional<String> issuer = Optional.empty();

  @Option(
      names = "--audience",
      paramLabel = "AUDIENCE",
      description = "The audience subject tokens must carry in aud.")
  Optional<String> audience = Optional.empty();

  @Option(
      names = "--attribute-transformation",
      paramLabel = "ATTRIBUTE=CEL",
      description =
          "An attribute and the CEL expression over the claims that gives it (repeatable; replaces them all).")
  List<String> transformations = List.of();

  @Option(
      names = "--discovery-url",
      paramLabel = "URL",
      description = "Find the issuer's keys from this discovery document instead of the usual one.")
  Optional<String> discoveryUrl = Optional.empty();

  @Option(
      names = "--jwks-file",
      paramLabel = "FILE",
      description = "Verify with the public keys in this JWKS file instead of discovery.")
  Optional<Path> jwksFile = Optional.empty();

  @Option(
      names = "--replay-protection",
      negatable = true,
      description = "Accept each subject token once only (--no-replay-protection: turn it off).")
  @Nullable Boolean replayProtection;

  @Override
  void setOver(ObjectNode body) {
    name.ifPresent(v -> body.put("name", v));
    description.ifPresent(v -> body.put("description", v));
    issuer.ifPresent(v -> body.put("issuer", v));
    audience.ifPresent(v -> body.put("audience", v));
    if (!transformations.isEmpty()) {
      ArrayNode list = body.putArray("attribute_transformations");
      for (String given : transformations) {
        int eq = given.indexOf('=');
        if (eq <= 0 || eq == given.length() - 1) {
          throw new IllegalArgumentException(
              "--attribute-transformation "
                  + given
                  + ": write ATTRIBUTE=EXPRESSION, for example"
                  + " project=assertion.google.compute_engine.project_id");
        }
        list.addObject()
            .put("attribute", given.substring(0, eq).strip())
            .put("expression", given.substring(eq + 1).strip());
      }
    }
    if (discoveryUrl.isPresent() && jwksFile.isPresent()) {
      throw new IllegalArgumentException("give --discovery-url or --jwks-file, not both");
    }
    discoveryUrl.ifPresent(
        url -> body.putObject("verification").put("type", "discovery").put("discovery_url", url));
    jwksFile.ifPresent(
        path ->
            body.putObject("verification").put("type", "uploaded_jwks").set("jwks", jwks(path)));
    if (replayProtection != null) {
      body.put("replay_protection", replayProtection);
    }
  }

  private static JsonNode jwks(Path path) {
    try {
      JsonNode jwks = AdminApiClient.json().readTree(Files.readString(path));
      if (jwks == null || !jwks.isObject()) {
        throw new IllegalArgumentException("--jwks-file " + path + ": not a JSON object (a JWKS)");
      }
      return jwks;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--jwks-file " + path + ": cannot read it as JSON (" + e.getMessage() + ")", e);
    }
  }
}
