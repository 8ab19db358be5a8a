package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamTargetTest {
  @Test
  void parseWhenHttpsWithBasePathThenTrailingSlashDropped() {
    assertThat(UpstreamTarget.parse("https://api.openai.com/v1/").base())
        .hasToString("https://api.openai.com/v1");
  }

  @Test
  void resolveWhenPathAndQueryThenAppendedToTheBase() {
    UpstreamTarget target = UpstreamTarget.parse("http://127.0.0.1:8000/v1");

    assertThat(target.resolve("/files/a%20b", Optional.of("limit=2&after=x")))
        .hasToString("http://127.0.0.1:8000/v1/files/a%20b?limit=2&after=x");
    assertThat(target.resolve("/models", Optional.empty()))
        .hasToString("http://127.0.0.1:8000/v1/models");
  }

  @Test
  void parseWhenNotHttpThenRefusedWithTheReason() {
    assertThatThrownBy(() -> UpstreamTarget.parse("ftp://example.com/v1"))
        .hasMessage(
            "--upstream ftp://example.com/v1 is not usable: it must be an absolute http:// or"
                + " https:// URL");
    assertThatThrownBy(() -> UpstreamTarget.parse("/v1")).hasMessageContaining("absolute");
  }

  @Test
  void parseWhenQueryFragmentUserInfoOrNoPathThenRefused() {
    assertThatThrownBy(() -> UpstreamTarget.parse("https://x.example/v1?key=secret-value"))
        .hasMessageContaining("query or a fragment")
        .hasMessageNotContaining("secret-value");
    assertThatThrownBy(() -> UpstreamTarget.parse("https://x.example/v1#f"))
        .hasMessageContaining("query or a fragment");
    assertThatThrownBy(() -> UpstreamTarget.parse("https://user:pw@x.example/v1"))
        .hasMessageContaining("user info")
        .hasMessageNotContaining("pw@x");
    assertThatThrownBy(() -> UpstreamTarget.parse("https://x.example"))
        .hasMessageContaining("base path");
    assertThatThrownBy(() -> UpstreamTarget.parse("http://exa mple/v1"))
        .hasMessageContaining("not a valid URL");
    assertThatThrownBy(() -> UpstreamTarget.parse("https://u:secret-pw@x.example/v1|x"))
        .hasMessageContaining("not a valid URL")
        .hasMessageNotContaining("secret-pw");
    assertThatThrownBy(() -> UpstreamTarget.parse("127.0.0.1:8000/v1"))
        .as("a URL without its scheme says what is missing")
        .hasMessageContaining("not a valid URL; give an absolute http:// or https:// URL");
  }

  @Test
  void parseWhenRefusedForAnyReasonThenNeverEchoesAQueryOrUserInfo() {
    assertThatThrownBy(() -> UpstreamTarget.parse("ftp://x.example/v1?key=secret-value"))
        .hasMessageContaining("absolute")
        .hasMessageNotContaining("secret-value");
    assertThatThrownBy(() -> UpstreamTarget.parse("https:///v1?key=secret-value"))
        .hasMessageNotContaining("secret-value");
    assertThatThrownBy(() -> UpstreamTarget.parse("https://x.example?key=secret-value"))
        .hasMessageNotContaining("secret-value");
    assertThatThrownBy(() -> UpstreamTarget.parse("https://u:secret-pw@x.example/v1"))
        .hasMessageContaining("***@x.example")
        .hasMessageNotContaining("secret-pw");
  }

  @Test
  void parseWhenLabelGivenThenErrorsStartWithIt() {
    assertThatThrownBy(
            () -> UpstreamTarget.parse("http://x.example", "--upstream-route #2 (llama-*)"))
        .hasMessage(
            "--upstream-route #2 (llama-*) http://x.example is not usable: it needs the API's base"
                + " path, for example https://api.openai.com/v1");
  }
}
