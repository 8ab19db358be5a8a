package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardSettingsTest {
  @ParameterizedTest
  @CsvSource({
    "http://127.0.0.1:8080, /dashboard",
    "https://gw.example.com/, /dashboard",
    "https://gw.example.com/wif, /wif/dashboard",
    "https://gw.example.com/wif/, /wif/dashboard",
    "https://GW.example.com/team-a/wif.v2, /team-a/wif.v2/dashboard",
    "http://[::1]:8080, /dashboard"
  })
  void forPublicUrlWhenGivenAUrlThenBasePathIsItsPathFollowedByDashboard(
      String publicUrl, String basePath) {
    assertThat(DashboardSettings.forPublicUrl(publicUrl).basePath()).isEqualTo(basePath);
  }

  @Test
  void forPublicUrlWhenHttpsInAnyCaseThenSecureCookieAndDefaults() {
    DashboardSettings settings = DashboardSettings.forPublicUrl("HTTPS://gw.example.com/wif");

    assertThat(settings.secureCookie()).isTrue();
    assertThat(settings.idleTimeout()).isEqualTo(DashboardSettings.DEFAULT_IDLE_TIMEOUT);
    assertThat(settings.absoluteTimeout()).isEqualTo(DashboardSettings.DEFAULT_ABSOLUTE_TIMEOUT);
    assertThat(settings.maxSessions()).isEqualTo(DashboardSettings.DEFAULT_MAX_SESSIONS);
    assertThat(DashboardSettings.forPublicUrl("http://gw.example.com/wif").secureCookie())
        .isFalse();
  }

  @Test
  void forPublicUrlWhenNotAUsablePublicUrlThenRefusedNamingWhy() {
    assertThatThrownBy(() -> DashboardSettings.forPublicUrl("https://gw.example.com/a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not usable");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "dashboard",
        "/wif",
        "/wif/dashboard/",
        "//dashboard",
        "/a b/dashboard",
        "/../dashboard",
        "/./dashboard",
        "/wif/../dashboard"
      })
  void constructorWhenBasePathIsNotAPathEndingInDashboardThenRefused(String basePath) {
    assertThatThrownBy(
            () ->
                new DashboardSettings(
                    Duration.ofMinutes(30), Duration.ofHours(8), false, 3, basePath))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("basePath");
  }
}
