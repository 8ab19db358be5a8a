package dev.openwif.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BoundedBodyTest {

  /** Hands out at most {@code chunk} bytes per read, like a slow network. */
  private static InputStream trickle(byte[] data, int chunk) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  private static byte[] bytes(int n) {
    byte[] data = new byte[n];
    for (int i = 0; i < n; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    return data;
  }

  @Property(tries = 300)
  void readCappedWhenBodyWithinLimitThenExactBytesWhateverTheExpectedSizeAndChunks(
      @ForAll @IntRange(min = 0, max = 5000) int size,
      @ForAll @IntRange(min = 0, max = 6000) int expected,
      @ForAll @IntRange(min = 1, max = 700) int chunk)
      throws IOException {
    int limit = 5000;
    byte[] data = bytes(size);
    assertThat(BoundedBody.readCapped(trickle(data, chunk), expected, limit)).isEqualTo(data);
  }

  @Property(tries = 200)
  void readCappedWhenBodyPassesTheLimitThenTooLarge(
      @ForAll @IntRange(min = 1, max = 3000) int limit,
      @ForAll @IntRange(min = 1, max = 500) int over,
      @ForAll @IntRange(min = 0, max = 4000) int expected,
      @ForAll @IntRange(min = 1, max = 700) int chunk) {
    byte[] data = bytes(limit + over);
    assertThatThrownBy(() -> BoundedBody.readCapped(trickle(data, chunk), expected, limit))
        .isInstanceOf(BoundedBody.TooLarge.class);
  }

  @Property(tries = 50)
  void readCappedWhenBodyIsExactlyTheLimitThenAccepted(
      @ForAll @IntRange(min = 1, max = 3000) int limit) throws IOException {
    byte[] data = bytes(limit);
    assertThat(BoundedBody.readCapped(new ByteArrayInputStream(data), 0, limit))
        .isEqualTo(Arrays.copyOf(data, limit));
  }
}
