package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.admin.AdminAuthThrottle;
import dev.openwif.server.sts.LiveServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed dashboard sign-ins are throttled per address like failed admin API authentications, and
 * share their budget: once an address is over it, even the right key is refused with 429 until it
 * has waited, on the dashboard and on the admin API alike.
 */
class DashboardSignInThrottleIT {
  @TempDir static Path dir;
  static LiveServer server;

  @BeforeAll
  static void start() {
    server = LiveServer.start(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void signInWhenTooManyFailuresThen429EvenForTheRightKeyAndOnTheAdminApiToo() throws Exception {
    DashboardHttp http = new DashboardHttp(server.url());
    for (int i = 0; i < AdminAuthThrottle.DEFAULT_FAILURES_PER_MINUTE; i++) {
      assertThat(http.signIn("sk-admin-guess-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> blocked = http.signIn(LiveServer.ADMIN_KEY);
    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
    assertThat(blocked.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(blocked.body()).contains("Too many failed sign-ins");
    assertThat(server.admin("GET", "/projects", null).status()).isEqualTo(429);
  }
}
