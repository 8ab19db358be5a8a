package dev.openwif.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogEncoderTest {
  private final LoggerContext context = new LoggerContext();
  private final JsonLogEncoder encoder = new JsonLogEncoder();

  private LoggingEvent event(String message, Object... args) {
    LoggingEvent event =
        new LoggingEvent(
            "x", context.getLogger("openwif.requests"), Level.WARN, message, null, args);
    event.setTimeStamp(1_796_540_400_123L); // 2026-12-06T07:00:00.123Z
    event.setThreadName("worker-1");
    return event;
  }

  @Test
  void encodeWhenMessageHasQuotesAndNewlinesThenOneJsonLineWithEveryField() throws Exception {
    LoggingEvent e = event("a \"quoted\"\nsecond {} line", "arg");
    e.setMDCPropertyMap(Map.of("request_id", "abc123"));

    String line = new String(encoder.encode(e), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("timestamp").asText()).isEqualTo("2026-12-06T07:00:00.123Z");
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("logger").asText()).isEqualTo("openwif.requests");
    assertThat(json.get("thread").asText()).isEqualTo("worker-1");
    assertThat(json.get("message").asText()).isEqualTo("a \"quoted\"\nsecond arg line");
    assertThat(json.get("request_id").asText()).isEqualTo("abc123");
    assertThat(json.has("exception")).isFalse();
  }

  @Test
  void encodeWhenEventCarriesAThrowableThenItsStackTraceIsOneField() throws Exception {
    LoggingEvent e = event("failed");
    e.setMDCPropertyMap(Map.of());
    e.setThrowableProxy(
        new ch.qos.logback.classic.spi.ThrowableProxy(new IllegalStateException("boom")));

    String line = new String(encoder.encode(e), StandardCharsets.UTF_8);

    assertThat(line.strip()).doesNotContain("\n");
    assertThat(new ObjectMapper().readTree(line).get("exception").asText())
        .contains("IllegalStateException: boom", "JsonLogEncoderTest");
  }

  @Test
  void parseWhenTextOrJsonThenThatFormatElseOneLineNamingTheFlag() {
    assertThat(LogFormat.parse("json")).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.parse(" TEXT ")).isEqualTo(LogFormat.TEXT);
    assertThatThrownBy(() -> LogFormat.parse("xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--log-format must be text or json, was: xml");
  }
}
