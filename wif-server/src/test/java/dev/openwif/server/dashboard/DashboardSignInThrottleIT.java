package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.FederationStore;
import dev.openwif.federation.RandomIdGenerator;
import dev.openwif.federation.admin.AdminKeys;
import dev.openwif.server.admin.AdminAuthThrottle;
import dev.openwif.server.sts.LiveServer;
import dev.openwif.store.Stores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed dashboard sign-ins are throttled per address like failed admin API authentications, and
 * share their budget: once an address is over it, wrong keys get 429 on the dashboard and on the
 * admin API alike, while a valid generated key still signs in (as in the admin API, so nobody can
 * lock the admins out) and an operator-chosen one is not checked until the bucket refills.
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
  void signInWhenTooManyFailuresThen429ForWrongKeysOnBothSidesButTheRightKeyStillSignsIn()
      throws Exception {
    DashboardHttp http = new DashboardHttp(server.url());
    for (int i = 0; i < AdminAuthThrottle.DEFAULT_FAILURES_PER_MINUTE; i++) {
      assertThat(http.signIn("sk-admin-guess-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> blocked = http.signIn("sk-admin-guess-again");
    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
    assertThat(blocked.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(blocked.body()).contains("Too many failed sign-ins");
    // one budget per address: the admin API refuses wrong keys from it too
    assertThat(
            server
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(server.url() + "/v1/organization/projects"))
                        .header("Authorization", "Bearer sk-admin-wrong-0000000000000000")
                        .timeout(java.time.Duration.ofSeconds(10))
                        .build())
                .status())
        .isEqualTo(429);
    // a valid generated admin key is never throttled (an attacker cannot lock the admins out) ...
    assertThat(http.signIn(generatedAdminKey()).statusCode()).isEqualTo(303);
    // ... but an operator-chosen key is not even checked while the address is locked out
    assertThat(http.signIn(LiveServer.ADMIN_KEY).statusCode()).isEqualTo(429);
    // an empty form costs nothing and says what is missing
    HttpResponse<String> empty = http.signIn("");
    assertThat(empty.statusCode()).isEqualTo(401);
    assertThat(empty.body()).contains("Enter an admin key.");
  }

  /** A key made as {@code wif admin-keys create} makes one, stored in the server's database. */
  private static String generatedAdminKey() {
    try (FederationStore store = Stores.open(dir.resolve("wif.db").toString())) {
      return new AdminKeys(
              store.adminKeys(), Clock.systemUTC(), new RandomIdGenerator(), new SecureRandom())
          .create("generated")
          .secret();
    }
  }
}
