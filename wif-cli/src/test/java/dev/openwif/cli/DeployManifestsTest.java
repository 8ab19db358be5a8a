package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deployment files in {@code deploy/} stay true to the code: every flag they pass to {@code wif
 * serve} exists and parses, every {@code WIF_} variable they set is one the server reads, the
 * probes hit the health routes, and the hardening they promise is there.
 */
class DeployManifestsTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Set<String> OTHER_ENVIRONMENT =
      Set.of(
          ServeCommand.BOOTSTRAP_ENV,
          ServeCommand.MASTER_KEY_ENV,
          ServeCommand.UPSTREAM_KEY_ENV,
          "WIF_CONFIG",
          "WIF_NATIVE_CRYPTO");

  private static CommandLine serve() {
    return WifCommand.commandLine(Map.of()).getSubcommands().get("serve");
  }

  /** {@code serve}'s arguments parse: every flag exists and takes what it is given. */
  private static void assertServeAccepts(List<String> args) {
    assertThat(args.getFirst()).isEqualTo("serve");
    CommandLine.ParseResult parsed =
        WifCommand.commandLine(Map.of()).parseArgs(args.toArray(String[]::new));
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("serve");
  }

  private static void assertServeReads(String variable) {
    if (OTHER_ENVIRONMENT.contains(variable) || !variable.startsWith("WIF_")) {
      return;
    }
    String flag = "--" + variable.substring(4).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    assertThat(serve().getCommandSpec().findOption(flag))
        .as("%s sets %s, which wif serve has", variable, flag)
        .isNotNull();
  }

  @Test
  void kubernetesWhenReadThenDeploymentArgsParseAndProbesAndHardeningAreThere() throws Exception {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        new YAMLMapper()
            .readerFor(JsonNode.class)
            .readValues(DEPLOY.resolve("kubernetes/openwif.yaml").toFile())) {
      it.forEachRemaining(documents::add);
    }
    assertThat(documents.stream().map(d -> d.path("kind").asText()))
        .containsExactlyInAnyOrder("Secret", "Deployment", "Service", "PodDisruptionBudget");
    JsonNode deployment =
        documents.stream()
            .filter(d -> d.path("kind").asText().equals("Deployment"))
            .findFirst()
            .get();
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    assertServeAccepts(args);
    container.path("env").forEach(e -> assertServeReads(e.path("name").asText()));
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    // the container image's user (wif-image's ContainerImageIT) and its entrypoint, not a java of
    // its own
    assertThat(pod.path("securityContext").path("runAsUser").asInt()).isEqualTo(65532);
    assertThat(container.has("command")).as("command overriding the image's entrypoint").isFalse();
    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
    assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean())
        .isFalse();
    // every file a flag names comes from the mounted Secret, and the Secret has that key
    JsonNode secret =
        documents.stream().filter(d -> d.path("kind").asText().equals("Secret")).findFirst().get();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).endsWith("-file")) {
        String key = Path.of(args.get(i + 1)).getFileName().toString();
        assertThat(secret.path("stringData").has(key)).as("secret key %s", key).isTrue();
      }
    }
  }

  @Test
  void systemdWhenReadThenExecStartParsesAndTheServiceIsHardened() throws Exception {
    List<String> lines = Files.readAllLines(DEPLOY.resolve("systemd/openwif.service"));
    String exec = lines.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    List<String> words = List.of(exec.substring("ExecStart=".length()).split(" "));
    List<String> args = new ArrayList<>(words.subList(words.indexOf("serve"), words.size()));
    args.replaceAll(a -> a.replace("${CREDENTIALS_DIRECTORY}", "/run/credentials/openwif.service"));
    assertServeAccepts(args);
    assertThat(words).contains("-Xmx128m", "-XX:+ExitOnOutOfMemoryError");

    Pattern environment = Pattern.compile("^Environment=([A-Z_]+)=.*");
    for (String line : lines) {
      Matcher m = environment.matcher(line);
      if (m.matches()) {
        assertServeReads(m.group(1));
      }
    }
    assertThat(lines)
        .contains(
            "DynamicUser=yes",
            "ProtectSystem=strict",
            "NoNewPrivileges=yes",
            "PrivateTmp=yes",
            "CapabilityBoundingSet=");
  }
}
