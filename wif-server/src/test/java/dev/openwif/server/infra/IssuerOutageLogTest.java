package dev.openwif.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.openwif.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class IssuerOutageLogTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-06T07:00:00Z"));
  private final IssuerOutageLog log = new IssuerOutageLog(clock);
  private final Logger logger = (Logger) LoggerFactory.getLogger(IssuerOutageLog.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  private List<String> messages() {
    return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  void fetchEndedWhenFailuresRepeatThenOneWarningAndOneRecoveryLine() {
    log.fetchEnded("gke", "https://issuer", Optional.empty());
    for (int i = 0; i < 5; i++) {
      log.fetchEnded("gke", "https://issuer", Optional.of("connection refused"));
      clock.advance(Duration.ofSeconds(30));
    }
    log.fetchEnded("gke", "https://issuer", Optional.empty());
    log.fetchEnded("gke", "https://issuer", Optional.empty());

    assertThat(messages())
        .containsExactly(
            "WARN issuer of provider gke is unavailable, its keys could not be fetched:"
                + " connection refused (logged once until it recovers)",
            "INFO issuer of provider gke recovered: its keys were fetched after 150 s of failures"
                + " (https://issuer)");
  }

  @Test
  void fetchEndedWhenTwoProvidersFailThenEachIsLoggedOnItsOwn() {
    log.fetchEnded("a", "https://a", Optional.of("down"));
    log.fetchEnded("b", "https://b", Optional.of("down"));
    log.fetchEnded("a", "https://a", Optional.of("down"));

    assertThat(messages()).hasSize(2);
    assertThat(messages().get(0)).contains("provider a ");
    assertThat(messages().get(1)).contains("provider b ");
  }
}
