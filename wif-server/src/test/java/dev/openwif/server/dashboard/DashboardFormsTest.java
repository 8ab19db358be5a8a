package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openwif.federation.Permissions;
import dev.openwif.federation.Verification;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DashboardFormsTest {
  @Test
  void formDataWhenParsedThenRepeatedNamesKeptInOrderAndDecoded() {
    FormData f = FormData.parse("a=1&m_key=sub&m_key=email&x=%3Cb%3E+c&flag&=v&&");
    assertThat(f.all("m_key")).containsExactly("sub", "email");
    assertThat(f.text("x")).isEqualTo("<b> c");
    assertThat(f.checked("flag")).isTrue();
    assertThat(f.text("flag")).isEmpty();
    assertThat(f.checked("missing")).isFalse();
    assertThat(f.text("missing")).isEmpty();
  }

  @Test
  void providerFormWhenSubmittedThenDraftHasTheGuideFieldsAndBlankRowsDropped() {
    ProviderForm form =
        ProviderForm.of(
            FormData.parse(
                "name=google&description=&issuer=https%3A%2F%2Faccounts.google.com"
                    + "&audience=https%3A%2F%2Fapi.openai.com%2Fv1&verification=discovery"
                    + "&t_attribute=&t_expression=&t_attribute=subject&t_expression=assertion.sub"
                    + "&enabled=true"));
    var draft = form.toDraft();
    assertThat(draft.name()).isEqualTo("google");
    assertThat(draft.description()).isEmpty();
    assertThat(draft.verification())
        .isEqualTo(new Verification.Discovery(java.util.Optional.empty()));
    assertThat(draft.attributeTransformations()).hasSize(1);
    assertThat(draft.attributeTransformations().get(0).attribute()).isEqualTo("subject");
    assertThat(draft.enabled()).isTrue();
    // the core names the saved row 0; it is the second row shown
    assertThat(form.fieldOf("attribute_transformations[0].expression"))
        .isEqualTo("attribute_transformations[1].expression");
    assertThat(form.fieldOf("verification.jwks.keys[0].kty")).isEqualTo("verification.jwks");
    assertThat(form.withRowAdded().transformations()).hasSize(3);
    assertThat(form.withRowRemoved(0).transformations()).hasSize(1);
    assertThat(form.withRowRemoved(7).transformations()).hasSize(2);
  }

  @Test
  void providerFormWhenUploadedJwksChosenThenVerificationCarriesThePastedSet() {
    ProviderForm form =
        ProviderForm.of(
            FormData.parse("verification=uploaded_jwks&jwks=%7B%22keys%22%3A%5B%5D%7D"));
    assertThat(form.toVerification()).isEqualTo(new Verification.UploadedJwks("{\"keys\":[]}"));
  }

  @Test
  void mappingFormWhenSubmittedThenMatchersPermissionsAndTarget() {
    MappingForm form =
        MappingForm.of(
            FormData.parse(
                "name=compute&m_key=sub&m_value=110&m_key=email&m_value=a%40b.c&m_key=&m_value="
                    + "&target_mode=existing&target_account=proj_1%2Fsvc_2"
                    + "&permissions=restricted&scope=api.model.request&enabled=true"));
    assertThat(form.attributeMatchers()).isEqualTo(Map.of("sub", "110", "email", "a@b.c"));
    assertThat(form.existingTarget())
        .hasValueSatisfying(t -> assertThat(t).containsExactly("proj_1", "svc_2"));
    assertThat(form.toPermissions())
        .isEqualTo(new Permissions.Restricted(Set.of("api.model.request")));
    assertThat(form.fieldOf("attribute_matchers.email")).isEqualTo("m_value[1]");
    assertThat(form.fieldOf("permissions.scopes")).isEqualTo("permissions");
    var draft = form.toDraft("proj_1", "svc_2");
    assertThat(draft.enabled()).isTrue();
    assertThat(draft.name()).contains("compute");
  }

  @Test
  void mappingFormWhenKeyGivenTwiceThenRefusedNamingTheRow() {
    MappingForm form = MappingForm.of(FormData.parse("m_key=sub&m_value=1&m_key=sub&m_value=2"));
    assertThatThrownBy(form::attributeMatchers)
        .isInstanceOf(FormException.class)
        .hasMessageContaining("'sub' is given twice")
        .satisfies(e -> assertThat(((FormException) e).field()).isEqualTo("m_key[1]"));
  }

  @Test
  void mappingFormWhenDefaultPermissionsThenServiceAccountDefaultAndNoTargetChosen() {
    MappingForm form = MappingForm.of(FormData.parse("permissions=default&scope=api.files.read"));
    assertThat(form.toPermissions()).isEqualTo(new Permissions.ServiceAccountDefault());
    assertThat(form.existingTarget()).isEmpty();
    assertThat(form.enabled()).isFalse();
  }

  @Test
  void mappingFormWhenRuleHasBooleanAndNumberMatchersThenAnUnchangedEditKeepsTheirTypes() {
    java.util.Map<String, Object> matchers = new java.util.LinkedHashMap<>();
    matchers.put("sub", "system:serviceaccount:default:api");
    matchers.put("email_verified", true);
    matchers.put("run_number", new java.math.BigDecimal("7"));
    dev.openwif.federation.FederationRule rule =
        new dev.openwif.federation.FederationRule(
            "wifr_1",
            "wip_1",
            java.util.Optional.of("m"),
            java.util.Optional.empty(),
            true,
            matchers,
            "proj_1",
            "svc_acct_1",
            new Permissions.ServiceAccountDefault(),
            false,
            java.time.Instant.EPOCH,
            java.time.Instant.EPOCH);

    MappingForm shown = MappingForm.of(rule);
    assertThat(shown.matchers())
        .extracting(MappingForm.Row::type)
        .containsExactly("string", "boolean", "number");

    // the browser sends the rows back as they were shown
    StringBuilder body = new StringBuilder();
    for (MappingForm.Row row : shown.matchers()) {
      body.append("&m_key=")
          .append(java.net.URLEncoder.encode(row.key(), java.nio.charset.StandardCharsets.UTF_8))
          .append("&m_value=")
          .append(java.net.URLEncoder.encode(row.value(), java.nio.charset.StandardCharsets.UTF_8))
          .append("&m_type=")
          .append(row.type());
    }
    assertThat(MappingForm.of(FormData.parse(body.substring(1))).attributeMatchers())
        .isEqualTo(matchers);
  }

  @Test
  void mappingFormWhenTypedValueDoesNotParseThenRefusedNamingTheRow() {
    assertThatThrownBy(
            () ->
                MappingForm.of(FormData.parse("m_key=email_verified&m_value=True&m_type=boolean"))
                    .attributeMatchers())
        .isInstanceOf(FormException.class)
        .hasMessageContaining("true or false");
    assertThatThrownBy(
            () ->
                MappingForm.of(FormData.parse("m_key=n&m_value=seven&m_type=number"))
                    .attributeMatchers())
        .isInstanceOf(FormException.class)
        .hasMessageContaining("number");
  }
}
