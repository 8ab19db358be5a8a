package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleWatchdogTest {
  private final IdleWatchdog watchdog = new IdleWatchdog();

  @AfterEach
  void stop() {
    watchdog.close();
  }

  @Test
  void watchWhenNothingHappensThenTheActionRunsOnceAfterTheIdleTime() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    long start = System.nanoTime();

    IdleWatchdog.Watch watch =
        watchdog.watch(
            Duration.ofMillis(200),
            () -> {
              runs.incrementAndGet();
              ran.countDown();
            });

    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(190);
    assertThat(watch.fired()).isTrue();
    Thread.sleep(300);
    assertThat(runs).hasValue(1);
  }

  @Test
  void watchWhenTouchedMoreOftenThanTheIdleTimeThenTheActionNeverRuns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    IdleWatchdog.Watch watch = watchdog.watch(Duration.ofMillis(300), runs::incrementAndGet);

    for (int i = 0; i < 10; i++) {
      Thread.sleep(100);
      watch.touch();
    }

    assertThat(runs).hasValue(0);
    assertThat(watch.fired()).isFalse();
    watch.close();
  }

  @Test
  void watchWhenClosedBeforeTheIdleTimeThenTheActionNeverRuns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    IdleWatchdog.Watch watch = watchdog.watch(Duration.ofMillis(100), runs::incrementAndGet);

    watch.close();
    Thread.sleep(300);

    assertThat(runs).hasValue(0);
    assertThat(watch.fired()).isFalse();
  }

  @Test
  void watchWhenIdleNotPositiveThenRefused() {
    assertThatThrownBy(() -> watchdog.watch(Duration.ZERO, () -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
