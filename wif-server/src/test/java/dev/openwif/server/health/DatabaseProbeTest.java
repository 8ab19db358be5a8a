package dev.openwif.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DatabaseProbeTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger pings = new AtomicInteger();

  @Test
  void checkWhenAskedManyTimesWithinASecondThenTheDatabaseIsPingedOnce() {
    DatabaseProbe probe = new DatabaseProbe(timeout -> pings.incrementAndGet(), now::get);

    for (int i = 0; i < 50; i++) {
      assertThat(probe.check().ok()).isTrue();
    }
    now.addAndGet(DatabaseProbe.MAX_RESULT_AGE.toNanos());
    assertThat(probe.check().ok()).isTrue();

    assertThat(pings).hasValue(2);
  }

  @Test
  void checkWhenPingFailsThenNotOkWithItsReason() {
    DatabaseProbe probe =
        new DatabaseProbe(
            timeout -> {
              throw new StoreUnavailableException(
                  "the database is unavailable: connection refused", new RuntimeException());
            },
            now::get);

    Check check = probe.check();

    assertThat(check.ok()).isFalse();
    assertThat(check.required()).isTrue();
    assertThat(check.detail()).isEqualTo("the database is unavailable: connection refused");
  }

  @Test
  void checkWhenPingHangsThenNotOkWithinTheWaitAndNoSecondPingStarts() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    DatabaseProbe probe =
        new DatabaseProbe(
            timeout -> {
              pings.incrementAndGet();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            now::get);

    long start = System.nanoTime();
    Check first = probe.check();
    Check second = probe.check();
    long took = System.nanoTime() - start;
    release.countDown();

    assertThat(first.ok()).isFalse();
    assertThat(first.detail()).isEqualTo("no answer within 900 ms");
    assertThat(second.ok()).isFalse();
    assertThat(pings).hasValue(1);
    assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(5));
  }
}
