package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.openwif.emulator.EmulatorSigningKey;
import dev.openwif.emulator.gke.GkeIssuerEmulator;
import dev.openwif.emulator.gke.ProjectedTokenMinter;
import dev.openwif.emulator.gke.ProjectedTokenSpec;
import dev.openwif.server.sts.LiveServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's scenario 2 (Google Kubernetes Engine, projected service account token) set up through
 * the dashboard's forms in a real headless Chromium, then proved with real token exchanges: the
 * projected token the GKE issuer emulator wrote for {@code default/openai-wif} is exchanged against
 * the provider and service account ids the pages showed; tokens the same cluster signed for another
 * namespace or another Kubernetes service account are refused.
 */
@Tag("crypto-neutral")
class DashboardGkeScenarioIT {
  static final String AUDIENCE = "https://api.openai.com/v1";
  static final String GKE_ISSUER =
      "https://container.googleapis.com/v1/projects/my-project/locations/us-central1/clusters/openai-wif";

  @TempDir static Path dir;
  static EmulatorSigningKey clusterKey;
  static GkeIssuerEmulator cluster;
  static LiveServer server;
  static Browser browser;

  @BeforeAll
  static void start() {
    clusterKey = EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.BASE64URL_SHA256);
    cluster = GkeIssuerEmulator.builder().signingKey(clusterKey).start();
    server = LiveServer.start(dir);
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
    cluster.close();
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

  /** A projected token signed by {@code key} for another pod of the cluster {@code issuer}. */
  private static String otherPodToken(
      EmulatorSigningKey key, String issuer, String namespace, String serviceAccount) {
    return new ProjectedTokenMinter(key, Clock.systemUTC())
        .mint(
            issuer,
            new ProjectedTokenSpec(
                namespace, serviceAccount, "other-app", List.of(AUDIENCE), Duration.ofHours(1)))
        .jwt();
  }

  @Test
  void
      guideScenarioTwoWhenSetUpThroughTheFormsThenTheProjectedTokenExchangesAndOtherPodsAreRefused()
          throws Exception {
    String projected = cluster.currentToken().jwt();
    JWTClaimsSet claims = SignedJWT.parse(projected).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("system:serviceaccount:default:openai-wif");
    assertThat(claims.getAudience()).containsExactly(AUDIENCE);

    signIn();
    browser.screenshot("gke-01-providers");

    // Set up the Workload Identity Provider on the cluster's issuer, verified by OIDC discovery
    browser.click("#new-provider");
    browser.waitForTitle("Create a Workload Identity Provider");
    browser.type("#name", "google-gke-prod");
    browser.type("#description", "Production GKE cluster");
    browser.type("#issuer", cluster.issuer());
    browser.type("#audience", AUDIENCE);
    assertThat(browser.find("#verification-discovery").isSelected()).isTrue();
    browser.type("#t_attribute_0", "gke_subject");
    browser.type("#t_expression_0", "assertion.sub");
    browser.screenshot("gke-02-provider-form");
    browser.click("#save-provider");
    browser.waitForTitle("Provider google-gke-prod");
    assertThat(browser.text("#notice")).isEqualTo("Provider created.");
    String providerId = browser.text("#provider-id");
    assertThat(providerId).isNotBlank();
    browser.screenshot("gke-03-provider");

    // Set up the mapping: the guide's sub, and the nested kubernetes.io namespace claim
    browser.click("#new-mapping");
    browser.waitForTitle("Create a service account mapping");
    browser.type("#name", "default-openai-wif");
    browser.type("#description", "Default namespace GKE OpenAI API workload");
    browser.type("#m_key_0", "sub");
    browser.type("#m_value_0", "system:serviceaccount:default:openai-wif");
    browser.click("#add-matcher");
    browser.waitForTitle("Create a service account mapping");
    browser.type("#m_key_1", "kubernetes.io.namespace");
    browser.type("#m_value_1", "default");
    browser.click("#target-new");
    browser.type("#new_project_name", "GKE production");
    browser.type("#new_account_name", "google-gke-prod-openai-wif");
    assertThat(browser.find("#permissions-default").isSelected()).isTrue();
    browser.screenshot("gke-04-mapping-form");
    browser.click("#save-mapping");
    browser.waitForTitle("Provider google-gke-prod");
    assertThat(browser.text("#notice")).isEqualTo("Service account mapping created.");
    String accountId = browser.text(".mapping-account");
    assertThat(accountId).isNotBlank();
    assertThat(browser.text("#mappings"))
        .contains(
            "default-openai-wif",
            "sub = system:serviceaccount:default:openai-wif",
            "kubernetes.io.namespace = default");
    browser.screenshot("gke-05-provider-with-mapping");

    // The pod's projected token exchanges against the ids the dashboard showed
    LiveServer.Reply issued =
        server.exchangeForm(LiveServer.exchangeParams(projected, providerId, accountId));
    assertThat(issued.status()).as(issued.raw().body()).isEqualTo(200);
    assertThat(issued.body().get("access_token").asText()).isNotBlank();
    assertThat(issued.body().get("issued_token_type").asText())
        .isEqualTo("urn:ietf:params:oauth:token-type:access_token");

    // The same cluster's token for another namespace, and for another KSA, are refused
    for (String[] pod :
        List.of(new String[] {"staging", "openai-wif"}, new String[] {"default", "batch"})) {
      String other = otherPodToken(clusterKey, cluster.issuer(), pod[0], pod[1]);
      LiveServer.Reply refused =
          server.exchangeForm(LiveServer.exchangeParams(other, providerId, accountId));
      assertThat(refused.status()).as(pod[0] + "/" + pod[1]).isEqualTo(401);
      assertThat(refused.body().get("error").asText()).isEqualTo("invalid_grant");
      assertThat(server.lastExchangeEvent().get("reason_code").asText())
          .isEqualTo("no_matching_rule");
    }

    // The token debugger judges every row of the mapping for the staging pod's token
    String staging = otherPodToken(clusterKey, cluster.issuer(), "staging", "openai-wif");
    browser.click("nav a[href='/dashboard/debugger']");
    browser.waitForTitle("Token debugger");
    browser.find("#token").sendKeys(staging);
    new org.openqa.selenium.support.ui.Select(browser.find("#provider")).selectByValue(providerId);
    new org.openqa.selenium.support.ui.Select(browser.find("#account")).selectByValue(accountId);
    browser.click("#explain");
    browser.waitForTitle("Token debugger");
    assertThat(browser.text("#checks"))
        .contains("Mapping default-openai-wif: sub failed")
        .contains("Mapping default-openai-wif: kubernetes.io.namespace failed")
        .contains("'staging'");
    browser.screenshot("gke-07-token-debugger-rows");
  }

  @Test
  void clusterWithUploadedJwksWhenMappedOnTheNestedNamespaceClaimThenOnlyThatNamespaceExchanges() {
    // A cluster whose issuer is not reachable from here: its JWKS is pasted into the form
    EmulatorSigningKey key =
        EmulatorSigningKey.generate(EmulatorSigningKey.KidStyle.BASE64URL_SHA256);
    try (GkeIssuerEmulator remote =
        GkeIssuerEmulator.builder()
            .signingKey(key)
            .issuer(GKE_ISSUER)
            .namespace("payments")
            .serviceAccount("openai-wif")
            .start()) {
      signIn();
      browser.open(server.url() + "/dashboard/providers/new");
      browser.waitForTitle("Create a Workload Identity Provider");
      browser.type("#name", "google-gke-payments");
      browser.type("#issuer", GKE_ISSUER);
      browser.type("#audience", AUDIENCE);
      browser.click("#verification-jwks");
      browser.type("#jwks", remote.jwksJson());
      browser.click("#save-provider");
      browser.waitForTitle("Provider google-gke-payments");
      assertThat(browser.text("#notice")).isEqualTo("Provider created.");
      String providerId = browser.text("#provider-id");

      browser.click("#new-mapping");
      browser.waitForTitle("Create a service account mapping");
      browser.type("#name", "payments-namespace");
      browser.type("#m_key_0", "kubernetes.io.namespace");
      browser.type("#m_value_0", "payments");
      browser.click("#target-new");
      browser.type("#new_project_name", "GKE payments");
      browser.type("#new_account_name", "google-gke-payments-openai-wif");
      browser.click("#save-mapping");
      browser.waitForTitle("Provider google-gke-payments");
      assertThat(browser.text("#notice")).isEqualTo("Service account mapping created.");
      assertThat(browser.text("#mappings")).contains("kubernetes.io.namespace = payments");
      String accountId = browser.text(".mapping-account");
      browser.screenshot("gke-06-uploaded-jwks-provider");

      LiveServer.Reply issued =
          server.exchangeForm(
              LiveServer.exchangeParams(remote.currentToken().jwt(), providerId, accountId));
      assertThat(issued.status()).as(issued.raw().body()).isEqualTo(200);
      assertThat(issued.body().get("access_token").asText()).isNotBlank();

      LiveServer.Reply refused =
          server.exchangeForm(
              LiveServer.exchangeParams(
                  otherPodToken(key, GKE_ISSUER, "default", "openai-wif"), providerId, accountId));
      assertThat(refused.status()).isEqualTo(401);
      assertThat(server.lastExchangeEvent().get("reason_code").asText())
          .isEqualTo("no_matching_rule");
      assertThat(
              server
                  .adminOk(
                      "GET",
                      "/workload_identity_providers/" + providerId + "/federation_rules",
                      null)
                  .get("data")
                  .get(0)
                  .get("attribute_matchers"))
          .isEqualTo(LiveServer.JSON.valueToTree(Map.of("kubernetes.io.namespace", "payments")));
    }
  }
}
