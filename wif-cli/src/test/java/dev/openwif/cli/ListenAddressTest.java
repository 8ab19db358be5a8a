package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListenAddressTest {
  @Test
  void problemWhenPortOutOfRangeThenNamesThePort() {
    assertThat(ListenAddress.problem("127.0.0.1", 70000))
        .contains("--port 70000 is not a port number (0 to 65535; 0: any free port)");
  }

  @Test
  void problemWhenPortTakenThenBlamesThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(ListenAddress.problem("127.0.0.1", taken.getLocalPort()))
          .hasValueSatisfying(p -> assertThat(p).startsWith("--port " + taken.getLocalPort()));
    }
  }

  @Test
  void problemWhenHostUnknownThenBlamesTheHost() {
    assertThat(ListenAddress.problem("no-such-host.invalid", 0))
        .hasValueSatisfying(p -> assertThat(p).startsWith("--host no-such-host.invalid "));
  }

  @Test
  void problemWhenFreeThenEmpty() {
    assertThat(ListenAddress.problem("127.0.0.1", 0)).isEmpty();
  }

  @Test
  void publicUrlProblemWhenWildcardOrOtherAddressThenNeedsPublicUrlAndLoopbackDoesNot() {
    assertThat(ListenAddress.publicUrlProblem("0.0.0.0"))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .startsWith("--host 0.0.0.0 is not a loopback address: give --public-url"));
    assertThat(ListenAddress.publicUrlProblem("::")).isPresent();
    assertThat(ListenAddress.publicUrlProblem("192.0.2.1")).isPresent();
    assertThat(ListenAddress.publicUrlProblem("127.0.0.1")).isEmpty();
    assertThat(ListenAddress.publicUrlProblem("localhost")).isEmpty();
    assertThat(ListenAddress.publicUrlProblem("::1")).isEmpty();
  }
}
