package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class UpstreamWaitTest {
  @Test
  void fireWhenInsideABlockedSocketReadThenTheReadFailsAndNoInterruptIsLeftAfterExit()
      throws Exception {
    try (ServerSocket quiet = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicReference<UpstreamWait> wait = new AtomicReference<>();
      CountDownLatch reading = new CountDownLatch(1);
      CompletableFuture<String> outcome = new CompletableFuture<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket socket =
                        new Socket(InetAddress.getLoopbackAddress(), quiet.getLocalPort());
                    InputStream in = socket.getInputStream()) {
                  UpstreamWait mine = new UpstreamWait();
                  wait.set(mine);
                  mine.enter();
                  reading.countDown();
                  try {
                    in.read(); // the server socket never sends
                    outcome.complete("read returned");
                  } catch (SocketException e) {
                    mine.exit();
                    outcome.complete(
                        "failed, interrupted after exit: "
                            + Thread.currentThread().isInterrupted());
                  }
                } catch (Exception e) {
                  outcome.complete("unexpected " + e);
                }
              });
      assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(100); // let the read block
      wait.get().fire();

      assertThat(outcome.get(5, TimeUnit.SECONDS))
          .isEqualTo("failed, interrupted after exit: false");
      assertThat(wait.get().fired()).isTrue();
    }
  }

  @Test
  void fireWhenOutsideThenNoInterruptAndTheNextEnterFails() throws Exception {
    UpstreamWait wait = new UpstreamWait();
    wait.enter();
    wait.exit();

    wait.fire();

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThatThrownBy(wait::enter).isInstanceOf(InterruptedIOException.class);
    assertThat(wait.fired()).isTrue();
  }

  @Test
  void exitWhenNeverFiredThenAnInterruptFromElsewhereIsKept() throws Exception {
    UpstreamWait wait = new UpstreamWait();
    wait.enter();
    Thread.currentThread().interrupt();
    wait.exit();

    assertThat(Thread.interrupted()).as("not this wait's interrupt: left alone").isTrue();
    assertThat(wait.fired()).isFalse();
  }
}
