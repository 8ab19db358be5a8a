package dev.openwif.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StateExportTest {
  @Test
  void yamlWhenReadBackThenPlansNoChange() {
    ServerObjects s = ServerObjects.guideApplied();
    String project = "proj_1";
    String hand =
        s.provider(
            "hand-made",
            null,
            "https://h.example",
            "x",
            "\"enabled\":false,\"verification\":{\"type\":\"uploaded_jwks\",\"jwks\":{\"keys\":[]}}");
    s.rule(
        hand,
        "hand-made",
        null,
        "by hand",
        "{\"n\":1.50,\"b\":false,\"s\":\"true\"}",
        project,
        "user-2",
        "\"permissions\":{\"type\":\"restricted\",\"scopes\":[\"api.model.request\"]}");
    LiveState live = s.state();

    String yaml = StateExport.yaml(live, "http://127.0.0.1:1");
    DesiredState back = ConfigReader.read("-", yaml);

    assertThat(PlanMaker.plan(back, live, true).changes()).isEmpty();
    assertThat(yaml)
        .startsWith("# wif export of http://127.0.0.1:1\nversion: 1\n")
        .contains("sub: \"167824049208407505931\"")
        .contains("s: \"true\"")
        .contains("managed: false")
        .doesNotContain(ManagedMark.MARK);
  }

  @Test
  void documentWhenServerEmptyThenEmptyLists() {
    assertThat(StateExport.document(new LiveState(List.of())).toString())
        .isEqualTo("{\"version\":1,\"projects\":[],\"providers\":[]}");
  }
}
