package dev.openwif.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaimsJsonTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "|",
      value = {
        "plain | abc | \"abc\"",
        "quotation mark | a\"b | \"a\\\"b\"",
        "reverse solidus | a\\b | \"a\\\\b\"",
        "solidus stays | a/b | \"a/b\"",
      })
  void quotedWhenSpecialCharactersThenEscapedPerRfc8259(String name, String in, String out) {
    assertThat(ClaimsJson.quoted(in)).isEqualTo(out);
  }

  @org.junit.jupiter.api.Test
  void quotedWhenControlCharactersAndUnpairedSurrogatesThenUnicodeEscapes() {
    assertThat(ClaimsJson.quoted("a\nb\u0000\u001f")).isEqualTo("\"a\\u000ab\\u0000\\u001f\"");
    assertThat(ClaimsJson.quoted("x\ud800y\udc00")).isEqualTo("\"x\\ud800y\\udc00\"");
    assertThat(ClaimsJson.quoted("é\ud83d\ude00")).isEqualTo("\"é\ud83d\ude00\"");
  }

  @org.junit.jupiter.api.Test
  void toUtf8WhenMembersWrittenThenOneCompactObjectInCallOrder() {
    byte[] json = new ClaimsJson().string("iss", "https://wif").number("exp", 42).toUtf8();
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo("{\"iss\":\"https://wif\",\"exp\":42}");
    assertThat(new String(new ClaimsJson().toUtf8(), StandardCharsets.UTF_8)).isEqualTo("{}");
  }

  @Property(tries = 500)
  void stringWhenAnyValueThenAJsonParserReadsBackTheSameValue(@ForAll String value)
      throws Exception {
    byte[] json = new ClaimsJson().string("sub", value).number("iat", 7).toUtf8();
    Map<String, Object> parsed = JSONObjectUtils.parse(new String(json, StandardCharsets.UTF_8));
    assertThat(parsed).containsEntry("sub", value).containsEntry("iat", 7L);
  }
}
