package dev.openwif.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestLogTest {

  @ParameterizedTest(name = "{0} ns -> {1} ms")
  @CsvSource({
    "0, 0.000",
    "999, 0.000",
    "1000, 0.001",
    "12345, 0.012",
    "3792000, 3.792",
    "1500000000, 1500.000",
    "-5, 0.000"
  })
  void millisWhenNanosGivenThenMillisecondsWithThreeDecimals(long nanos, String millis) {
    assertThat(RequestLog.millis(nanos)).isEqualTo(millis);
  }

  @Property(tries = 500)
  void millisWhenAnyDurationThenWhatAFormatterWouldPrintTruncatedToTheMicrosecond(
      @ForAll @LongRange(min = 0, max = 10_000_000_000_000L) long nanos) {
    long micros = nanos / 1000;
    assertThat(RequestLog.millis(nanos))
        .isEqualTo(String.format(Locale.ROOT, "%d.%03d", micros / 1000, micros % 1000));
  }
}
