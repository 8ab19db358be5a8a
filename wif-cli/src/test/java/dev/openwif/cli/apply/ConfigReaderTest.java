package dev.openwif.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigReaderTest {
  static final Path GUIDE =
      Path.of(System.getProperty("user.dir")).getParent().resolve("examples/guide.yaml");

  static final String MINIMAL =
      """
      version: 1
      projects:
        - name: p
          service_accounts:
            - name: sa
      providers:
        - name: prov
          issuer: https://issuer.example
          audience: aud
          rules:
            - name: r
              attribute_matchers: {sub: x}
              project: p
              service_account: sa
      """;

  @Test
  void readWhenGuideThenItsSixObjectsInCreationOrder() throws Exception {
    DesiredState state = ConfigReader.read("guide.yaml", Files.readString(GUIDE));

    assertThat(state.resources())
        .extracting(r -> r.address().toString())
        .containsExactly(
            "project openai-wif-demo",
            "service account openai-wif-demo / google-workload-identity-prod-openai-wif",
            "service account openai-wif-demo / google-gke-prod-openai-wif",
            "provider google-workload-identity-prod",
            "rule google-workload-identity-prod / compute-openai-wif",
            "provider google-gke-prod",
            "rule google-gke-prod / default-openai-wif");
    Resource compute = state.resources().get(4);
    assertThat(compute.fields().get("attribute_matchers").get("sub").asText())
        .isEqualTo("167824049208407505931");
    assertThat(compute.managed()).isTrue();
    Resource provider = state.resources().get(3);
    assertThat(provider.fields().has("verification"))
        .as("discovery is the default, so the canonical form leaves it out")
        .isFalse();
    assertThat(provider.fields().get("attribute_transformations").toString())
        .isEqualTo("[{\"attribute\":\"subject\",\"expression\":\"assertion.sub\"}]");
  }

  @Test
  void readWhenEmptyThenNothing() {
    assertThat(ConfigReader.read("f.yaml", "").resources()).isEmpty();
    assertThat(ConfigReader.read("f.yaml", "version: 1\n").resources()).isEmpty();
  }

  @Test
  void readWhenDefaultsSpelledOutThenSameAsLeftOut() {
    String spelled =
        MINIMAL
            .replace("audience: aud", "audience: aud\n    enabled: true\n    managed: true")
            .replace(
                "service_account: sa",
                "service_account: sa\n        permissions: {type: service_account_default}");
    assertThat(ConfigReader.read("a", spelled).resources())
        .extracting(Resource::fields)
        .isEqualTo(
            ConfigReader.read("b", MINIMAL).resources().stream().map(Resource::fields).toList());
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of(
            "unknown top-level key", "version: 1\nprojetcs: []\n", "f.yaml:2: field projetcs:"),
        Arguments.of("wrong version", "version: 2\n", "f.yaml:1: field version: must be 1"),
        Arguments.of(
            "project without name",
            "projects:\n  - service_accounts: []\n",
            "f.yaml:2: field projects[0].name: required"),
        Arguments.of(
            "project named twice",
            "projects:\n  - name: a\n  - name: a\n",
            "f.yaml:3: field projects[1].name: 'a' is named twice"),
        Arguments.of(
            "duplicate key",
            "projects:\n  - name: a\n    name: b\n",
            "f.yaml:3: field projects[0].name: given twice"),
        Arguments.of("bad YAML", "projects: [\n  - name: a\n", "f.yaml:"),
        Arguments.of(
            "rule without matchers",
            MINIMAL.replace("        attribute_matchers: {sub: x}\n", ""),
            "f.yaml:11: field providers[0].rules[0].attribute_matchers: required"),
        Arguments.of(
            "matcher value a list",
            MINIMAL.replace("{sub: x}", "{sub: [x]}"),
            "f.yaml:12: field providers[0].rules[0].attribute_matchers.sub: must be a string"),
        Arguments.of(
            "enabled not a boolean",
            MINIMAL.replace("audience: aud", "audience: aud\n    enabled: yes please"),
            "f.yaml:10: field providers[0].enabled: must be true or false"),
        Arguments.of(
            "provider without issuer",
            MINIMAL.replace("    issuer: https://issuer.example\n", ""),
            "f.yaml:7: field providers[0].issuer: required"),
        Arguments.of(
            "unknown verification type",
            MINIMAL.replace("audience: aud", "audience: aud\n    verification: {type: magic}"),
            "f.yaml:10: field providers[0].verification.type: must be 'discovery' or"),
        Arguments.of(
            "restricted without scopes",
            MINIMAL.replace(
                "service_account: sa",
                "service_account: sa\n        permissions: {type: restricted}"),
            "f.yaml:15: field providers[0].rules[0].permissions.scopes: required"),
        Arguments.of(
            "negative rate limit",
            MINIMAL.replace(
                "- name: sa", "- name: sa\n        rate_limits: {max_requests_per_1_minute: -1}"),
            "f.yaml:6: field projects[0].service_accounts[0].rate_limits.max_requests_per_1_minute:"),
        Arguments.of(
            "transformation without expression",
            MINIMAL.replace(
                "audience: aud",
                "audience: aud\n    attribute_transformations:\n      - attribute: x"),
            "f.yaml:11: field providers[0].attribute_transformations[0].expression: required"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void readWhenBadThenOneLineNamingFileLineAndField(String name, String text, String expected) {
    assertThatThrownBy(() -> ConfigReader.read("f.yaml", text))
        .isInstanceOf(ConfigFileException.class)
        .hasMessageStartingWith(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
