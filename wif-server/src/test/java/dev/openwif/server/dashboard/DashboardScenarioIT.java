package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.openwif.emulator.gce.GceMetadataEmulator;
import dev.openwif.server.sts.LiveServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The guide's scenario 1 (Google workload identity) set up through the dashboard's forms in a real
 * headless Chromium, then proved with real token exchanges: a Google-shaped identity token from the
 * GCE metadata emulator is exchanged against the provider and service account ids the pages showed;
 * once the mapping is disabled in the dashboard the next exchange is refused.
 */
@Tag("crypto-neutral")
class DashboardScenarioIT {
  static final String AUDIENCE = "https://api.openai.com/v1";

  @TempDir static Path dir;
  static GceMetadataEmulator metadata;
  static LiveServer server;
  static Browser browser;

  @BeforeAll
  static void start() {
    metadata = GceMetadataEmulator.builder().start();
    server = LiveServer.start(dir);
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
    metadata.close();
  }

  private static void signIn() {
    browser.width(1280);
    browser.open(server.url() + "/dashboard/sign-in");
    if (!browser.title().startsWith("Sign in")) {
      return; // still signed in from an earlier test
    }
    browser.type("#admin_key", LiveServer.ADMIN_KEY);
    browser.click("#sign-in");
    browser.waitForTitle("Workload Identity Providers");
  }

  @Test
  void guideScenarioOneWhenSetUpThroughTheFormsThenExchangeWorksUntilTheMappingIsDisabled()
      throws Exception {
    String subjectToken = metadata.identityToken(AUDIENCE, true);
    JWTClaimsSet claims = SignedJWT.parse(subjectToken).getJWTClaimsSet();

    browser.width(1280);
    browser.open(server.url() + "/dashboard/sign-in");
    browser.driver.manage().deleteAllCookies(); // signed out, whichever test ran before
    browser.open(server.url() + "/dashboard");
    browser.waitForTitle("Sign in");
    browser.screenshot("01-sign-in");
    signIn();
    browser.screenshot("02-providers-empty");

    // Set up the Workload Identity Provider
    browser.click("#new-provider");
    browser.waitForTitle("Create a Workload Identity Provider");
    browser.type("#name", "google-workload-identity-prod");
    browser.type("#description", "Production Google Cloud workloads");
    browser.type("#issuer", metadata.issuer());
    browser.type("#audience", AUDIENCE);
    assertThat(browser.find("#verification-discovery").isSelected()).isTrue();
    assertThat(browser.text(".prefix")).isEqualTo("openai.");
    browser.type("#t_attribute_0", "subject");
    browser.type("#t_expression_0", "assertion.sub");
    browser.screenshot("03-provider-form");
    browser.click("#save-provider");
    browser.waitForTitle("Provider google-workload-identity-prod");
    String providerId = browser.text("#provider-id");
    assertThat(providerId).isNotBlank();
    assertThat(browser.text("#notice")).isEqualTo("Provider created.");
    browser.screenshot("04-provider");

    // Set up the service account mapping
    browser.click("#new-mapping");
    browser.waitForTitle("Create a service account mapping");
    browser.type("#name", "compute-openai-wif");
    browser.type("#description", "Production Compute Engine OpenAI API workload");
    browser.type("#m_key_0", "sub");
    browser.type("#m_value_0", claims.getSubject());
    browser.click("#add-matcher"); // a server round trip adds a row and keeps what was typed
    browser.waitForTitle("Create a service account mapping");
    assertThat(browser.find("#m_value_0").getAttribute("value")).isEqualTo(claims.getSubject());
    browser.type("#m_key_1", "email");
    browser.type("#m_value_1", claims.getStringClaim("email"));
    browser.click("#target-new");
    browser.type("#new_project_name", "Google production");
    browser.type("#new_account_name", "google-workload-identity-prod-openai-wif");
    browser.click("#permissions-restricted");
    browser.driver.findElement(By.id("scope-api.model.request")).click();
    browser.driver.findElement(By.id("scope-api.vector_store.read")).click();
    browser.screenshot("05-mapping-form");
    browser.click("#save-mapping");
    browser.waitForTitle("Provider google-workload-identity-prod");
    assertThat(browser.text("#notice")).isEqualTo("Service account mapping created.");
    String accountId = browser.text(".mapping-account");
    assertThat(browser.text("#mappings")).contains("compute-openai-wif", "sub = ", "email = ");
    assertThat(browser.text("#mappings"))
        .contains("Restricted: api.model.request, api.vector_store.read");
    browser.screenshot("06-provider-with-mapping");

    // The providers list shows the mapping count
    browser.open(server.url() + "/dashboard/providers");
    WebElement row = browser.find("#providers tr[data-id='" + providerId + "']");
    assertThat(row.getText()).contains("google-workload-identity-prod", AUDIENCE, "Enabled", "1");

    // A real exchange against the ids the dashboard showed
    LiveServer.Reply issued =
        server.exchangeForm(LiveServer.exchangeParams(subjectToken, providerId, accountId));
    assertThat(issued.status()).as(issued.raw().body()).isEqualTo(200);
    assertThat(issued.body().get("access_token").asText()).isNotBlank();

    // Disable the mapping in the dashboard: the next exchange is refused
    browser.open(server.url() + "/dashboard/providers/" + providerId);
    browser.click(".toggle-mapping");
    browser.waitForTitle("Provider google-workload-identity-prod");
    assertThat(browser.text("#notice")).isEqualTo("Service account mapping disabled.");
    assertThat(browser.text(".mapping-status")).isEqualTo("Disabled");
    browser.screenshot("07-mapping-disabled");
    LiveServer.Reply refused =
        server.exchangeForm(
            LiveServer.exchangeParams(
                metadata.identityToken(AUDIENCE, true), providerId, accountId));
    assertThat(refused.status()).isEqualTo(401); // a refused grant
    assertThat(refused.body().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(server.lastExchangeEvent().get("reason_code").asText())
        .isEqualTo("no_matching_rule");

    // The audit log screen shows that refusal with its reason code and detail sentence
    browser.click("nav a[href='/dashboard/audit']");
    browser.waitForTitle("Audit log");
    new org.openqa.selenium.support.ui.Select(browser.find("#outcome")).selectByValue("failed");
    browser.type("#provider", providerId);
    browser.click("#apply-filters");
    browser.waitForTitle("Audit log");
    List<WebElement> events = browser.driver.findElements(By.cssSelector("#events tbody tr"));
    assertThat(events).hasSize(1);
    assertThat(browser.text("#events .reason")).isEqualTo("no_matching_rule");
    assertThat(browser.text("#events .detail")).isNotBlank();
    assertThat(browser.text("#events .type")).isEqualTo("token_exchange.failed");
    browser.screenshot("12-audit-failed-exchange");

    // The token debugger explains that refusal with the exchange's own checks, minting nothing
    String debugged = metadata.identityToken(AUDIENCE, true);
    browser.click("nav a[href='/dashboard/debugger']");
    browser.waitForTitle("Token debugger");
    browser.find("#token").sendKeys(debugged);
    new org.openqa.selenium.support.ui.Select(browser.find("#provider")).selectByValue(providerId);
    new org.openqa.selenium.support.ui.Select(browser.find("#account")).selectByValue(accountId);
    browser.click("#explain");
    browser.waitForTitle("Token debugger");
    assertThat(browser.text("#verdict"))
        .isEqualTo("An exchange of this token would be refused at: Service account mappings.");
    assertThat(browser.text("#checks"))
        .contains("Signature passed")
        .contains("Issuer passed")
        .contains("Audience passed")
        .contains("openai.subject passed = " + claims.getSubject())
        .contains("Service account skipped")
        .contains("no_matching_rule: no enabled rule of provider " + providerId);
    assertThat(browser.text("#jwt-claims")).contains("\"sub\" : \"" + claims.getSubject() + "\"");
    browser.screenshot("13-token-debugger");
    String audited =
        server.adminOk("GET", "/audit_logs?type=token_debugger.used&limit=10", null).toString();
    assertThat(audited)
        .contains(providerId)
        .doesNotContain(debugged)
        .doesNotContain(debugged.substring(debugged.lastIndexOf('.') + 1));
  }

  @Test
  void providerFormWhenExpressionDoesNotCompileThenErrorBesideTheFieldAndNothingSaved() {
    signIn();
    browser.open(server.url() + "/dashboard/providers/new");
    browser.type("#name", "bad-cel");
    browser.type("#issuer", metadata.issuer());
    browser.type("#audience", AUDIENCE);
    browser.type("#t_attribute_0", "subject");
    browser.type("#t_expression_0", "assertion.sub +");
    browser.click("#save-provider");
    browser.waitForTitle("Create a Workload Identity Provider");
    assertThat(browser.text("#t_expression_0-error"))
        .startsWith("attribute_transformations[0].expression does not compile");
    assertThat(browser.find("#name").getAttribute("value")).isEqualTo("bad-cel");
    browser.screenshot("08-provider-form-error");
    assertThat(
            server
                .adminOk("GET", "/workload_identity_providers?limit=100", null)
                .get("data")
                .findValuesAsText("name"))
        .doesNotContain("bad-cel");
  }

  @Test
  void providerNamedLikeAScriptWhenListedThenShownAsTextAndNeverRun() {
    String hostile = "<script>alert(1)</script>";
    String id =
        server.createProvider(
            hostile, metadata.issuer(), "hostile-audience", Map.of("type", "discovery"), List.of());
    signIn();
    browser.open(server.url() + "/dashboard/providers");
    assertThat(browser.text("#providers tr[data-id='" + id + "'] a")).isEqualTo(hostile);
    assertThatThrownBy(() -> browser.driver.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    browser.open(server.url() + "/dashboard/providers/" + id);
    assertThat(browser.text("#provider-name")).isEqualTo(hostile);
    assertThatThrownBy(() -> browser.driver.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
  }

  @Test
  void pagesWhenNarrowThenFitWithoutSideways() {
    signIn();
    browser.width(390);
    try {
      for (String path : List.of("/dashboard/providers", "/dashboard/providers/new")) {
        browser.open(server.url() + path);
        Number overflow =
            (Number)
                browser.driver.executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow.intValue()).as(path).isLessThanOrEqualTo(0);
      }
      browser.screenshot("09-provider-form-390px");
    } finally {
      browser.width(1280);
    }
  }
}
