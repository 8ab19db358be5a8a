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
            "+ create provider google-gke-prod\n"
                + "      description: \"Production GKE cluster\"\n"
                + "      issuer: \"http://127.0.0.1:8082\"\n"
                + "      audience: \"https://api.openai.com/v1\"\n"
                + "      attribute_transformations:"
                + " [{\"attribute\":\"gke_subject\",\"expression\":\"assertion.sub\"}]\n")
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
            "~ update provider google-workload-identity-prod (id wip_4)\n"
                + "      enabled: true -> false\n"
                + "- delete rule google-workload-identity-prod / compute-openai-wif (id wifr_5)\n"
                + "- delete rule google-gke-prod / default-openai-wif (id wifr_7)\n"
                + "- delete provider google-gke-prod (id wip_6)\n"
                + "\n"
                + "Plan: 0 to create, 1 to change, 3 to delete.\n");
  }
}
