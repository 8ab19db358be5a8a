package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SigningWarmUpTest {
  @Test
  void signOnceWhenRunThenItsThrowawaySignatureVerifies() throws Exception {
    assertThat(SigningWarmUp.signOnce()).isTrue();
  }

  @Test
  void startInBackgroundWhenCalledThenADaemonThreadThatEndsOnItsOwn() throws Exception {
    Thread warmUp = SigningWarmUp.startInBackground();

    assertThat(warmUp.isDaemon()).as("never holds the JVM up").isTrue();
    assertThat(warmUp.join(Duration.ofSeconds(30))).as("ended within 30 s").isTrue();
  }
}
