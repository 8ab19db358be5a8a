package dev.openwif.emulator.gce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GceInstanceTest {
  static Stream<Arguments> invalidSettings() {
    return Stream.of(
        Arguments.of(
            Named.of("email without @", "openai-wif"),
            "my-project",
            "us-central1-a",
            "service account email"),
        Arguments.of(
            Named.of("email with a space", "a b@x.com"),
            "my-project",
            "us-central1-a",
            "service account email"),
        Arguments.of(
            Named.of("upper-case project", "a@x.com"), "My-Project", "us-central1-a", "project id"),
        Arguments.of(Named.of("short project", "a@x.com"), "abc", "us-central1-a", "project id"),
        Arguments.of(
            Named.of("region instead of zone", "a@x.com"), "my-project", "us-central1", "zone"),
        Arguments.of(
            Named.of("zone path instead of name", "a@x.com"),
            "my-project",
            "projects/1/zones/us-central1-a",
            "zone"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSettings")
  void ofWhenSettingInvalidThenRefusedNamingIt(
      String email, String project, String zone, String named) {
    assertThatThrownBy(() -> GceInstance.of(email, project, zone))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }

  @Test
  void zonePathWhenValidThenProjectsNumberZonesName() {
    GceInstance instance = GceInstance.of("a@x.com", "my-project", "europe-west1-b");

    assertThat(instance.zonePath())
        .isEqualTo("projects/" + instance.projectNumber() + "/zones/europe-west1-b");
    assertThat(Long.toString(instance.projectNumber())).hasSize(12);
    assertThat(instance.instanceId()).matches("1[0-9]{18}");
  }
}
