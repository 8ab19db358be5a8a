package dev.openwif.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTextTest {
  private static String print(Plan plan) {
    StringWriter text = new StringWriter();
    PlanText.print(plan, "guide.yaml", new PrintWriter(text));
    return text.toString();
  }

  @Test
  void printWhenEmptyThenSaysNoChanges() {
    assertThat(print(new Plan(List.of())))
        .isEqualTo("No changes: the server already matches guide.yaml.\n");
  }

  @Test
  void printWhenCreatesThenEachObjectWithItsSetFieldsAndSummary() throws Exception {
    DesiredState guide = ConfigReader.read("guide.yaml", Files.readString(ConfigReaderTest.GUIDE));

    String text = print(PlanMaker.plan(guide, new LiveState(List.of()), false));

    assertThat(text)
        .startsWith("+ create project openai-wif-demo\n")
        .contains(
            PlanMakerTest.text(
                "+ create provider google-gke-prod",
                "      description: \"Production GKE cluster\"",
                "      issuer: \"http://127.0.0.1:8082\"",
                "      audience: \"https://api.openai.com/v1\"",
                "      attribute_transformations:"
                    + " [{\"attribute\":\"gke_subject\",\"expression\":\"assertion.sub\"}]"))
        .endsWith("\nPlan: 7 to create, 0 to change, 0 to delete.\n");
  }

  @Test
  void printWhenUpdateAndDeleteThenBeforeAfterAndIds() throws Exception {
    ServerObjects s = ServerObjects.guideApplied();
    String text =
        print(
            PlanMaker.plan(
                ConfigReader.read(
                    "f",
                    """
                        providers:
                          - name: google-workload-identity-prod
                            description: Production Google Cloud workloads
                            issuer: http://127.0.0.1:8081
                            audience: https://api.openai.com/v1
                            enabled: false
                            attribute_transformations: [{attribute: subject, expression: assertion.sub}]
                        """),
                s.state(),
                true));

    assertThat(text)
        .isEqualTo(
            PlanMakerTest.text(
                "~ update provider google-workload-identity-prod (id wip_4)",
                "      enabled: true -> false",
                "- delete rule google-workload-identity-prod / compute-openai-wif (id wifr_5)",
                "- delete rule google-gke-prod / default-openai-wif (id wifr_7)",
                "- delete provider google-gke-prod (id wip_6)",
                "",
                "Plan: 0 to create, 1 to change, 3 to delete."));
  }
}
