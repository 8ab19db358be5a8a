package dev.openwif.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanMakerTest {
  private static DesiredState guide() throws Exception {
    return ConfigReader.read("guide.yaml", Files.readString(ConfigReaderTest.GUIDE));
  }

  private static DesiredState guideWith(String from, String to) throws Exception {
    String text = Files.readString(ConfigReaderTest.GUIDE);
    assertThat(text).contains(from);
    return ConfigReader.read("guide.yaml", text.replace(from, to));
  }

  /** The lines, each ended by a newline. */
  static String text(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  private static List<String> lines(Plan plan) {
    return plan.changes().stream()
        .map(
            c ->
                switch (c) {
                  case Change.Create x -> "+ " + x.address();
                  case Change.Update x ->
                      "~ "
                          + x.address()
                          + " "
                          + x.fields().stream()
                              .map(
                                  f ->
                                      f.field()
                                          + ": "
                                          + PlanText.show(f.before())
                                          + " -> "
                                          + PlanText.show(f.after()))
                              .toList();
                  case Change.Delete x -> "- " + x.address();
                })
        .toList();
  }

  @Test
  void planWhenServerEmptyThenEverythingCreatedInDependencyOrder() throws Exception {
    Plan plan = PlanMaker.plan(guide(), new LiveState(List.of()), false);

    assertThat(lines(plan))
        .containsExactly(
            "+ project openai-wif-demo",
            "+ service account openai-wif-demo / google-workload-identity-prod-openai-wif",
            "+ service account openai-wif-demo / google-gke-prod-openai-wif",
            "+ provider google-workload-identity-prod",
            "+ provider google-gke-prod",
            "+ rule google-workload-identity-prod / compute-openai-wif",
            "+ rule google-gke-prod / default-openai-wif");
  }

  @Test
  void planWhenServerMatchesThenNoChangeWithAndWithoutPrune() throws Exception {
    LiveState live = ServerObjects.guideApplied().state();

    assertThat(PlanMaker.plan(guide(), live, false).isEmpty()).isTrue();
    assertThat(PlanMaker.plan(guide(), live, true).isEmpty()).isTrue();
  }

  @Test
  void planWhenFieldsDifferThenUpdateListsEachFieldWithBeforeAndAfter() throws Exception {
    DesiredState changed =
        guideWith(
            "    issuer: http://127.0.0.1:8082\n",
            text(
                "    issuer: http://127.0.0.1:9092",
                "    enabled: false",
                "    replay_protection: true"));

    Plan plan = PlanMaker.plan(changed, ServerObjects.guideApplied().state(), false);

    assertThat(lines(plan))
        .containsExactly(
            "~ provider google-gke-prod [issuer: \"http://127.0.0.1:8082\" ->"
                + " \"http://127.0.0.1:9092\", enabled: true -> false, replay_protection: false ->"
                + " true]");
  }

  @Test
  void planWhenMatcherValueAndDescriptionChangeThenThoseFieldsOnly() throws Exception {
    DesiredState changed =
        guideWith(
            text(
                "        description: Default namespace GKE OpenAI API workload",
                "        attribute_matchers:",
                "          sub: system:serviceaccount:default:openai-wif"),
            text(
                "        attribute_matchers:",
                "          sub: system:serviceaccount:prod:openai-wif"));

    Plan plan = PlanMaker.plan(changed, ServerObjects.guideApplied().state(), false);

    assertThat(lines(plan))
        .containsExactly(
            "~ rule google-gke-prod / default-openai-wif [description: \"Default namespace GKE"
                + " OpenAI API workload\" -> (none), attribute_matchers:"
                + " {\"sub\":\"system:serviceaccount:default:openai-wif\"} ->"
                + " {\"sub\":\"system:serviceaccount:prod:openai-wif\"}]");
  }

  @Test
  void planWhenMatchersInAnotherOrderThenNoChange() throws Exception {
    DesiredState reordered =
        guideWith(
            text(
                "          sub: \"167824049208407505931\"",
                "          email: openai-wif@my-project.iam.gserviceaccount.com"),
            text(
                "          email: openai-wif@my-project.iam.gserviceaccount.com",
                "          sub: \"167824049208407505931\""));

    assertThat(PlanMaker.plan(reordered, ServerObjects.guideApplied().state(), false).isEmpty())
        .isTrue();
  }

  @Test
  void planWhenTransformationsReorderedThenChangeBecauseOrderMatters() throws Exception {
    DesiredState two =
        guideWith(
            text(
                "      - attribute: gke_subject      # becomes openai.gke_subject",
                "        expression: assertion.sub"),
            text(
                "      - attribute: ns",
                "        expression: assertion.sub",
                "      - attribute: gke_subject",
                "        expression: assertion.sub"));

    assertThat(lines(PlanMaker.plan(two, ServerObjects.guideApplied().state(), false)))
        .singleElement()
        .asString()
        .startsWith("~ provider google-gke-prod [attribute_transformations:");
  }

  @Test
  void planWhenNumberMatcherWrittenDifferentlyThenNoChange() throws Exception {
    ServerObjects s = new ServerObjects();
    String project = s.project("p");
    String account = s.account(project, "p", "sa");
    String provider = s.provider("prov", null, "https://i.example", "x", "");
    s.rule(provider, "prov", "r", null, "{\"n\":10, \"b\":true}", project, account, "");
    String file =
        """
        projects: [{name: p, service_accounts: [{name: sa}]}]
        providers:
          - name: prov
            issuer: https://i.example
            audience: https://api.openai.com/v1
            managed: false
            attribute_transformations: [{attribute: x, expression: assertion.sub}]
            rules:
              - {name: r, managed: false, attribute_matchers: {n: 10.0, b: true}, project: p, service_account: sa}
        """;

    assertThat(PlanMaker.plan(ConfigReader.read("f", file), s.state(), true).isEmpty()).isTrue();
  }

  @Test
  void planWhenServerObjectUnmarkedThenFileAdoptsItByMarking() throws Exception {
    ServerObjects s = ServerObjects.guideApplied();
    s.provider("hand-made", "made in the dashboard", "https://h.example", "x", "");
    DesiredState adopting =
        ConfigReader.read(
            "f",
            """
            providers:
              - name: hand-made
                description: made in the dashboard
                issuer: https://h.example
                audience: https://api.openai.com/v1
                attribute_transformations: [{attribute: x, expression: assertion.sub}]
            """);

    assertThat(lines(PlanMaker.plan(adopting, s.state(), false)))
        .containsExactly("~ provider hand-made [managed: false -> true]");
  }

  @Test
  void planWithPruneWhenManagedObjectsUnnamedThenRulesDeletedBeforeProviders() throws Exception {
    ServerObjects s = ServerObjects.guideApplied();
    String project = "proj_1";
    String hand = s.provider("hand-made", "by hand", "https://h.example", "x", "");
    s.rule(hand, "hand-made", "hand-rule", null, "{\"sub\":\"a\"}", project, "user-2", "");
    DesiredState onlyCompute =
        guideWith(
            Files.readString(ConfigReaderTest.GUIDE)
                .substring(Files.readString(ConfigReaderTest.GUIDE).indexOf("  # Scenario 2")),
            "");

    assertThat(lines(PlanMaker.plan(onlyCompute, s.state(), false))).isEmpty();
    assertThat(lines(PlanMaker.plan(onlyCompute, s.state(), true)))
        .as("the GKE provider and rule are managed; hand-made ones are not; accounts never")
        .containsExactly(
            "- rule google-gke-prod / default-openai-wif", "- provider google-gke-prod");
  }

  @Test
  void planWithPruneWhenUnmanagedRuleKeepsProviderThenRefused() throws Exception {
    ServerObjects s = ServerObjects.guideApplied();
    s.rule(
        "wip_6",
        "google-gke-prod",
        "by-hand",
        "no mark",
        "{\"sub\":\"a\"}",
        "proj_1",
        "user-3",
        "");
    DesiredState onlyCompute =
        guideWith(
            Files.readString(ConfigReaderTest.GUIDE)
                .substring(Files.readString(ConfigReaderTest.GUIDE).indexOf("  # Scenario 2")),
            "");

    assertThatThrownBy(() -> PlanMaker.plan(onlyCompute, s.state(), true))
        .isInstanceOf(ConfigFileException.class)
        .hasMessageContaining("--prune would delete provider google-gke-prod")
        .hasMessageContaining("rule google-gke-prod / by-hand (not deleted: not managed)");
  }

  @Test
  void planWhenRuleNamesUnknownAccountThenErrorNamesFileLineAndField() throws Exception {
    DesiredState bad =
        guideWith(
            "        service_account: google-gke-prod-openai-wif\n",
            "        service_account: no-such-account\n");

    assertThatThrownBy(() -> PlanMaker.plan(bad, new LiveState(List.of()), false))
        .isInstanceOf(ConfigFileException.class)
        .hasMessage(
            "guide.yaml:54: field providers[1].rules[0].service_account: no service account named"
                + " 'no-such-account' in project 'openai-wif-demo', in this file or on the server");
  }

  @Test
  void planWhenRuleNamesAccountOnlyOnServerThenCreatesRule() throws Exception {
    ServerObjects s = new ServerObjects();
    String project = s.project("elsewhere");
    s.account(project, "elsewhere", "existing");
    DesiredState file =
        ConfigReader.read(
            "f",
            """
            providers:
              - name: prov
                issuer: https://i.example
                audience: a
                rules:
                  - {name: r, attribute_matchers: {sub: s}, project: elsewhere, service_account: existing}
            """);

    assertThat(lines(PlanMaker.plan(file, s.state(), false)))
        .containsExactly("+ provider prov", "+ rule prov / r");
  }

  @Test
  void planWhenServerHasTwoProjectsOfTheNameThenRefusedAtTheFileLine() throws Exception {
    ServerObjects s = new ServerObjects();
    s.project("openai-wif-demo");
    s.project("openai-wif-demo");

    assertThatThrownBy(() -> PlanMaker.plan(guide(), s.state(), false))
        .hasMessage(
            "guide.yaml:10: field projects[0].name: the server has 2 projects named"
                + " 'openai-wif-demo'; rename or remove all but one first");
  }

  @Test
  void planWhenRateLimitsSetThenServiceAccountUpdated() throws Exception {
    DesiredState limited =
        guideWith(
            "      - name: google-gke-prod-openai-wif\n",
            text(
                "      - name: google-gke-prod-openai-wif",
                "        rate_limits: {max_requests_per_1_minute: 60}"));

    assertThat(lines(PlanMaker.plan(limited, ServerObjects.guideApplied().state(), false)))
        .containsExactly(
            "~ service account openai-wif-demo / google-gke-prod-openai-wif [rate_limits: {} ->"
                + " {\"max_requests_per_1_minute\":60}]");
  }

  @Test
  void planWhenRestrictedScopesInAnotherOrderThenNoChange() throws Exception {
    ServerObjects s = new ServerObjects();
    String project = s.project("p");
    String account = s.account(project, "p", "sa");
    String provider = s.provider("prov", null, "https://i.example", "x", "");
    s.rule(
        provider,
        "prov",
        "r",
        null,
        "{\"sub\":\"a\"}",
        project,
        account,
        "\"permissions\":{\"type\":\"restricted\",\"scopes\":[\"b.read\",\"a.write\"]}");
    String file =
        """
        projects: [{name: p, service_accounts: [{name: sa}]}]
        providers:
          - name: prov
            issuer: https://i.example
            audience: https://api.openai.com/v1
            managed: false
            attribute_transformations: [{attribute: x, expression: assertion.sub}]
            rules:
              - name: r
                managed: false
                attribute_matchers: {sub: a}
                project: p
                service_account: sa
                permissions: {type: restricted, scopes: [a.write, b.read]}
        """;

    assertThat(PlanMaker.plan(ConfigReader.read("f", file), s.state(), false).isEmpty()).isTrue();
  }
}
