package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The table's mechanics on a small table; {@link RouteScopesTest} covers OpenAI's routes. */
class RouteScopeTableTest {
  private static final RouteScopeTable TABLE =
      RouteScopeTable.of(
          List.of(
              new RouteScopeTable.Route("GET", "/v1/things", "s.read"),
              new RouteScopeTable.Route("POST", "/v1/things", "s.write"),
              new RouteScopeTable.Route("GET", "/v1/things/{thing_id}", "s.read"),
              new RouteScopeTable.Route("DELETE", "/v1/things/{thing_id}", "s.write"),
              new RouteScopeTable.Route("GET", "/v1/things/{thing_id}/parts/{part_id}", "p.read"),
              new RouteScopeTable.Route("POST", "/v1/things/special", "x.write")));

  @Test
  void scopeForWhenLiteralRoutesThenEachMethodItsScope() {
    assertThat(TABLE.scopeFor("GET", "/v1/things")).contains("s.read");
    assertThat(TABLE.scopeFor("POST", "/v1/things")).contains("s.write");
  }

  @Test
  void scopeForWhenParameterSegmentsThenAnyIdStandsForThem() {
    assertThat(TABLE.scopeFor("GET", "/v1/things/thing_abc-123")).contains("s.read");
    assertThat(TABLE.scopeFor("DELETE", "/v1/things/thing_abc-123")).contains("s.write");
    assertThat(TABLE.scopeFor("GET", "/v1/things/t1/parts/p2")).contains("p.read");
    assertThat(TABLE.scopeFor("GET", "/v1/things/ft:gpt-4o-mini:org::id.2~x/parts/p"))
        .contains("p.read");
  }

  @Test
  void scopeForWhenMethodNotListedForThePathThenUnmapped() {
    assertThat(TABLE.scopeFor("PUT", "/v1/things")).isEmpty();
    assertThat(TABLE.scopeFor("POST", "/v1/things/t1")).isEmpty();
    assertThat(TABLE.scopeFor("HEAD", "/v1/things")).isEmpty();
    assertThat(TABLE.scopeFor("get", "/v1/things")).isEmpty();
  }

  @Test
  void scopeForWhenLiteralAndParameterCompeteThenLiteralWinsWithoutBacktracking() {
    assertThat(TABLE.scopeFor("POST", "/v1/things/special")).contains("x.write");
    assertThat(TABLE.scopeFor("GET", "/v1/things/special")).isEmpty();
    assertThat(TABLE.scopeFor("GET", "/v1/things/specia1")).contains("s.read");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "/",
        "v1/things",
        "/v1",
        "/v1/",
        "/v1/things/",
        "//v1/things",
        "/v1//things",
        "/v1/things//",
        "/v1/things/t1/",
        "/v1/things/t1/parts",
        "/v1/things/t1/parts/p2/more",
        "/v1/Things",
        "/V1/things",
        "/v1/things/.",
        "/v1/things/..",
        "/v1/things/%2e%2e",
        "/v1/things/t%31",
        "/v1/things/t1%2Fparts%2Fp2",
        "/v1/things/t;x=1",
        "/v1/things/t 1",
        "/v1/things/t\\1",
        "/v1/things/t?x",
        "/v1/things/t#x",
        "/v1/things/t@1",
        "/v1/things/t+1",
        "/v1/things/tü",
        "/v1/other"
      })
  void scopeForWhenPathIsOddOrUnknownThenUnmapped(String path) {
    assertThat(TABLE.scopeFor("GET", path)).isEmpty();
    assertThat(TABLE.scopeFor("DELETE", path)).isEmpty();
  }

  @Test
  void scopeForWhenPathLongerThanTheLimitThenUnmapped() {
    String id = "a".repeat(RouteScopeTable.MAX_PATH);

    assertThat(TABLE.scopeFor("GET", "/v1/things/" + id)).isEmpty();
    assertThat(TABLE.scopeFor("GET", "/v1/things/" + id.substring(0, 100))).contains("s.read");
  }

  @Test
  void scopeOfPatternWhenParameterNamesDifferThenSameRoute() {
    assertThat(TABLE.scopeOfPattern("GET", "/v1/things/{id}")).contains("s.read");
    assertThat(TABLE.scopeOfPattern("GET", "/v1/things/{a}/parts/{b}")).contains("p.read");
    assertThat(TABLE.scopeOfPattern("PUT", "/v1/things/{id}")).isEqualTo(Optional.empty());
    assertThat(TABLE.scopeOfPattern("GET", "/v1/things/special")).isEmpty();
  }

  @Test
  void ofWhenRouteListedTwiceOrMalformedThenRefused() {
    assertThatThrownBy(
            () ->
                RouteScopeTable.of(
                    List.of(
                        new RouteScopeTable.Route("GET", "/v1/a/{x}", "s"),
                        new RouteScopeTable.Route("GET", "/v1/a/{y}", "t"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    for (String pattern :
        List.of("v1/a", "/v1//a", "/v1/a/", "/v1/A", "/v1/{X}", "/v1/{a", "/v1/..", "/v1/a%2f")) {
      assertThatThrownBy(
              () -> RouteScopeTable.of(List.of(new RouteScopeTable.Route("GET", pattern, "s"))))
          .as(pattern)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(
            () -> RouteScopeTable.of(List.of(new RouteScopeTable.Route("get", "/v1/a", "s"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void routesWhenReadThenInTheOrderGiven() {
    assertThat(TABLE.routes())
        .extracting(RouteScopeTable.Route::pattern)
        .startsWith("/v1/things", "/v1/things", "/v1/things/{thing_id}");
  }
}
