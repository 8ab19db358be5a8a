package dev.openwif.server.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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

  @Test
  void runWhenOthersAlreadyWaitThenANewcomerDoesNotOvertakeThem() throws Exception {
    AdmissionControl admission = new AdmissionControl(1, 10, Duration.ofSeconds(5));
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = holdTheOnlySlot(admission, release);
    List<String> order = new CopyOnWriteArrayList<>();
    Thread first = Thread.ofVirtual().start(() -> admission.run(() -> order.add("first")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (admission.waitingNow() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(admission.waitingNow()).isEqualTo(1);

    release.countDown();
    admission.run(() -> order.add("newcomer"));
    first.join(5000);
    holder.join(5000);

    assertThat(order).containsExactly("first", "newcomer");
  }

  @Test
  void runWhenTheQueueWouldTakeLongerThanHalfTheWaitThenRefusedAtOnce() throws Exception {
    // each exchange is known to hold its slot 20 ms: 5 waiting = 100 ms, half of 200 ms; a 6th
    // would expect 120 ms
    AdmissionControl admission =
        new AdmissionControl(1, 1000, Duration.ofMillis(200), Duration.ofMillis(20));
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = holdTheOnlySlot(admission, release);
    List<Thread> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(Thread.ofVirtual().start(() -> admission.run(() -> "queued")));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (admission.waitingNow() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(admission.waitingNow()).isEqualTo(5);

    long start = System.nanoTime();
    Optional<String> sixth = admission.run(() -> "never");
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(sixth).isEmpty();
    assertThat(tookMs).as("refused without waiting").isLessThan(100);
    release.countDown();
    holder.join(5000);
    for (Thread t : queued) {
      t.join(5000);
    }
  }

  @Test
  void runWhenExchangesCompleteThenTheAverageFollowsTheirMeasuredDuration() {
    AdmissionControl admission =
        new AdmissionControl(2, 10, Duration.ofSeconds(1), Duration.ofMillis(100));
    for (int i = 0; i < 200; i++) {
      admission.run(() -> "fast");
    }
    assertThat(admission.averageService()).isLessThan(Duration.ofMillis(1));
  }

  @Test
  void runWhenOneExchangeIsHeldUpByAPauseThenTheAverageCountsAtMost10Ms() {
    AdmissionControl admission =
        new AdmissionControl(16, 1000, Duration.ofMillis(750), Duration.ofNanos(100_000));
    admission.run(
        () -> {
          try {
            Thread.sleep(300); // a collection or a stalled audit queue, not the exchange's cost
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "paused";
        });
    // 1/16 of at most 10 ms on top of 0.1 ms: a queue of hundreds still expects well under 375 ms
    assertThat(admission.averageService()).isLessThan(Duration.ofMillis(1));
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
