package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ModelGlob}, {@link UpstreamRoute} parsing and first-match, {@link RequestModel}. */
class UpstreamRouteTest {
  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "gpt-*, gpt-4.1-mini, true",
    "gpt-*, gpt-, true",
    "gpt-*, GPT-4, false",
    "gpt-*, chatgpt-4o, false",
    "*, anything/at-all, true",
    "llama, llama, true",
    "llama, llama-3, false",
    "*-instruct, qwen-7b-instruct, true",
    "*-instruct, qwen-7b-instruct-v2, false",
    "meta-llama/*-Instruct, meta-llama/Llama-3.1-8B-Instruct, true",
    "a*b*c, abc, true",
    "a*b*c, aXbYc, true",
    "a*b*c, acb, false",
    "a*a, a, false",
    "a*a, aa, true",
    "**, x, true",
    "*.*, gpt.4, true",
    "*.*, gpt4, false"
  })
  void matchesWhenGlobAndModelThenAsExpected(String glob, String model, boolean expected) {
    assertThat(new ModelGlob(glob).matches(model)).isEqualTo(expected);
  }

  @Test
  void globWhenEmptyOrWithSpaceOrEqualsThenRefused() {
    assertThatThrownBy(() -> new ModelGlob("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ModelGlob("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ModelGlob("a=b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parseWhenGlobEqualsUrlThenRoute() {
    UpstreamRoute route = UpstreamRoute.parse(1, " llama-* = http://127.0.0.1:8000/v1/");

    assertThat(route.glob().text()).isEqualTo("llama-*");
    assertThat(route.target().base()).hasToString("http://127.0.0.1:8000/v1");
    assertThat(route).hasToString("llama-*=http://127.0.0.1:8000/v1");
  }

  @Test
  void parseWhenMalformedThenErrorNamesOptionAndPosition() {
    assertThatThrownBy(() -> UpstreamRoute.parse(3, "http://127.0.0.1:8000/v1"))
        .hasMessageStartingWith("--upstream-route #3 is not usable: give MODEL_GLOB=URL");
    assertThatThrownBy(() -> UpstreamRoute.parse(2, "=http://127.0.0.1:8000/v1"))
        .hasMessageStartingWith("--upstream-route #2 is not usable: the model pattern is empty");
    assertThatThrownBy(() -> UpstreamRoute.parse(1, "x*=ftp://h/v1?k=secret-value"))
        .hasMessageStartingWith("--upstream-route #1 (x*) ftp://h/v1 is not usable")
        .hasMessageNotContaining("secret-value");
  }

  @Test
  void firstMatchWhenSeveralMatchThenTheFirstGivenWins() {
    List<UpstreamRoute> routes =
        List.of(
            UpstreamRoute.parse(1, "llama-3*=http://127.0.0.1:8001/v1"),
            UpstreamRoute.parse(2, "llama-*=http://127.0.0.1:8002/v1"));

    assertThat(UpstreamRoute.firstMatch(routes, "llama-3.1")).contains(routes.get(0));
    assertThat(UpstreamRoute.firstMatch(routes, "llama-2")).contains(routes.get(1));
    assertThat(UpstreamRoute.firstMatch(routes, "gpt-4")).isEmpty();
  }

  @Test
  void requestModelWhenTopLevelModelThenNamedElseUnnamedOrMalformed() {
    assertThat(model("{\"messages\":[{\"model\":\"inner\"}],\"model\":\"llama-3\"}"))
        .isEqualTo(new RequestModel.Named("llama-3"));
    assertThat(model("{\"input\":{\"model\":\"inner\"}}")).isEqualTo(new RequestModel.Unnamed());
    assertThat(model("{\"model\":42}")).isEqualTo(new RequestModel.Unnamed());
    assertThat(model("{\"model\":\"a\",\"model\":\"b\"}")).isEqualTo(new RequestModel.Malformed());
    assertThat(model("{\"x\":{\"y\":1,\"y\":2},\"model\":\"a\"}"))
        .isEqualTo(new RequestModel.Malformed());
    assertThat(model("[{\"model\":\"a\"}]")).isEqualTo(new RequestModel.Malformed());
    assertThat(model("{\"model\":\"a\"} {}")).isEqualTo(new RequestModel.Malformed());
    assertThat(model("{\"model\":\"a\"")).isEqualTo(new RequestModel.Malformed());
    assertThat(model("")).isEqualTo(new RequestModel.Malformed());
  }

  private static RequestModel.Found model(String body) {
    return RequestModel.of(body.getBytes(StandardCharsets.UTF_8));
  }
}
