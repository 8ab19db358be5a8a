package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdmissionControlTest {

  @Test
  void runWhenSlotFreeThenWorkRuns() {
    AdmissionControl admission = new AdmissionControl(1, 0, Duration.ZERO);

    assertThat(admission.run(() -> "done")).contains("done");
    assertThat(admission.run(() -> "again")).contains("again");
  }

  @Test
  void runWhenSlotsBusyAndNoQueueThenRefusedAtOnce() throws Exception {
    AdmissionControl admission = new AdmissionControl(1, 0, Duration.ofSeconds(5));
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = holdTheOnlySlot(admission, release);

    long start = System.nanoTime();
    Optional<String> refused = admission.run(() -> "never");
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(refused).isEmpty();
    assertThat(tookMs).isLessThan(1000);
    release.countDown();
    holder.join(5000);
    assertThat(admission.run(() -> "after")).contains("after");
  }

  @Test
  void runWhenSlotBusyAndWaitExpiresThenRefused() throws Exception {
    AdmissionControl admission = new AdmissionControl(1, 10, Duration.ofMillis(50));
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = holdTheOnlySlot(admission, release);

    assertThat(admission.run(() -> "never")).isEmpty();

    release.countDown();
    holder.join(5000);
  }

  /**
   * Occupies the single slot from another thread until {@code release}; returns once it is held.
   */
  private static Thread holdTheOnlySlot(AdmissionControl admission, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch inside = new CountDownLatch(1);
    Thread holder =
        Thread.ofVirtual()
            .start(
                () ->
                    admission.run(
                        () -> {
                          inside.countDown();
                          await(release);
                          return "held";
                        }));
    assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
    return holder;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
