package dev.openwif.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiShapesTest {
  private static DesiredState guide() throws Exception {
    return ConfigReader.read("guide.yaml", Files.readString(ConfigReaderTest.GUIDE));
  }

  @Test
  void createBodyWhenProviderThenAdminApiFieldsWithMarkedDescription() throws Exception {
    Resource provider = guide().resources().get(5);
    IdBook ids = new IdBook(new LiveState(List.of()));

    assertThat(ApiShapes.createBody(provider, ids).toString())
        .isEqualTo(
            "{\"name\":\"google-gke-prod\",\"description\":\"Production GKE cluster"
                + " (managed by wif apply)\",\"issuer\":\"http://127.0.0.1:8082\","
                + "\"audience\":\"https://api.openai.com/v1\",\"enabled\":true,"
                + "\"verification\":{\"type\":\"discovery\"},\"attribute_transformations\":"
                + "[{\"attribute\":\"gke_subject\",\"expression\":\"assertion.sub\"}],"
                + "\"replay_protection\":false,\"type\":\"oidc\"}");
  }

  @Test
  void createBodyWhenRuleThenNamesResolvedToIds() throws Exception {
    Resource rule = guide().resources().get(6);
    IdBook ids = new IdBook(new LiveState(List.of()));
    ids.put(Address.project("openai-wif-demo"), "proj_9");
    ids.put(Address.account("openai-wif-demo", "google-gke-prod-openai-wif"), "user-9");

    assertThat(ApiShapes.createBody(rule, ids).toString())
        .contains("\"name\":\"default-openai-wif\"")
        .contains("\"project_id\":\"proj_9\",\"service_account_id\":\"user-9\"")
        .contains("\"permissions\":{\"type\":\"service_account_default\"}")
        .doesNotContain("\"project\":")
        .doesNotContain("managed\":");
  }

  @Test
  void updateBodyWhenDescriptionRemovedThenMarkAloneKept() throws Exception {
    Resource rule = guide().resources().get(6);
    Resource bare =
        new Resource(
            rule.address(),
            (com.fasterxml.jackson.databind.node.ObjectNode) rule.fields().without("description"),
            Optional.empty());

    assertThat(
            ApiShapes.updateBody(
                    bare,
                    List.of(new FieldChange("description", Optional.empty(), Optional.empty())),
                    new IdBook(new LiveState(List.of())))
                .toString())
        .isEqualTo("{\"description\":\"(managed by wif apply)\"}");
  }

  @Test
  void updateBodyWhenRateLimitsRemovedThenBothCleared() {
    Resource account =
        new Resource(Address.account("p", "a"), ServerObjects.json("{}"), Optional.empty());

    assertThat(
            ApiShapes.updateBody(
                    account,
                    List.of(new FieldChange("rate_limits", Optional.empty(), Optional.empty())),
                    new IdBook(new LiveState(List.of())))
                .toString())
        .isEqualTo(
            "{\"rate_limits\":{\"max_requests_per_1_minute\":null,"
                + "\"max_tokens_per_1_minute\":null}}");
  }

  @Test
  void ruleWhenServerRuleHasNoNameThenItsIdNamesIt() {
    Resource r =
        ApiShapes.rule(
            "prov",
            ServerObjects.json(
                "{\"id\":\"wifr_1\",\"name\":null,\"description\":null,\"enabled\":true,"
                    + "\"attribute_matchers\":{\"sub\":\"a\"},\"project_id\":\"p\","
                    + "\"service_account_id\":\"u\",\"permissions\":{\"type\":"
                    + "\"service_account_default\"},\"clamp_to_subject_token_expiry\":false}"),
            java.util.Map.of());

    assertThat(r.address()).isEqualTo(Address.rule("prov", "wifr_1"));
    assertThat(r.managed()).isFalse();
  }
}
