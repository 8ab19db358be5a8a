package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoModelTest {
  private final DemoModel model = new DemoModel();

  @Test
  void replyWhenInputThenDeterministicEchoWithWordCounts() {
    DemoModel.Reply reply = model.reply("Say hello  politely");

    assertThat(reply)
        .isEqualTo(
            new DemoModel.Reply(
                "Hello from OpenWIF (demo model): you said \"Say hello  politely\"", 3, 10));
    assertThat(model.reply("Say hello  politely")).isEqualTo(reply);
  }

  @Test
  void replyWhenInputEmptyThenZeroInputTokens() {
    assertThat(model.reply("   ").inputTokens()).isZero();
  }

  @Test
  void replyWhenInputHugeThenEchoIsCut() {
    String text = model.reply("x".repeat(5000)).text();

    assertThat(text).hasSize("Hello from OpenWIF (demo model): you said \"\"".length() + 2000 + 3);
  }
}
