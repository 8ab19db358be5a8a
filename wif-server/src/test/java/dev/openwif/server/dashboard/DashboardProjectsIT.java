package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Projects and service accounts through the dashboard in a headless Chromium: create, rename,
 * delete, archive; and deletions the core refuses (a provider with mappings, a service account a
 * mapping uses) show the reason and change nothing.
 */
@Tag("crypto-neutral")
class DashboardProjectsIT {
  @TempDir static Path dir;
  static LiveServer server;
  static Browser browser;

  @BeforeAll
  static void start() {
    server = LiveServer.start(dir);
    browser = Browser.start();
    browser.open(server.url() + "/dashboard/sign-in");
    browser.type("#admin_key", LiveServer.ADMIN_KEY);
    browser.click("#sign-in");
    browser.waitForTitle("Workload Identity Providers");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
  }

  @Test
  void projectWhenCreatedRenamedGivenAccountsAndArchivedThenEachStepShows() {
    browser.open(server.url() + "/dashboard/projects");
    browser.waitForTitle("Projects");
    browser.type("#project-name", "   ");
    browser.click("#create-project");
    browser.waitForTitle("Projects");
    assertThat(browser.text("#project-name-error")).isEqualTo("name must not be empty.");

    browser.type("#project-name", "Team A");
    browser.click("#create-project");
    browser.waitForTitle("Project Team A");
    assertThat(browser.text("#notice")).isEqualTo("Project created.");
    String projectId = browser.text("#project-id");

    browser.type("#account-name", "worker");
    browser.click("#create-account");
    browser.waitForTitle("Project Team A");
    assertThat(browser.text("#notice")).isEqualTo("Service account created.");
    assertThat(browser.text("#accounts .account-name")).isEqualTo("worker");
    String accountId = browser.find("#accounts tbody tr").getAttribute("data-id");
    browser.screenshot("10-project");

    browser.type("#rename-" + accountId, "worker-2");
    browser.driver.findElement(By.cssSelector("#accounts tbody tr button")).click();
    browser.waitForTitle("Project Team A");
    assertThat(browser.text("#accounts .account-name")).isEqualTo("worker-2");

    browser.type("#rename", "Team B");
    browser.click("#rename-project");
    browser.waitForTitle("Project Team B");
    assertThat(browser.text("#notice")).isEqualTo("Project renamed.");

    browser.click("#accounts a.danger");
    browser.waitForTitle("Delete service account worker-2");
    browser.click("#confirm");
    browser.waitForTitle("Project Team B");
    assertThat(browser.text("#notice")).isEqualTo("Service account deleted.");
    assertThat(browser.driver.findElements(By.cssSelector("#accounts"))).isEmpty();

    browser.click("#archive-project");
    browser.waitForTitle("Archive project Team B");
    browser.click("#confirm");
    browser.waitForTitle("Project Team B");
    assertThat(browser.text("#project-status")).isEqualTo("Archived");
    assertThat(server.adminOk("GET", "/projects/" + projectId, null).get("status").asText())
        .isEqualTo("archived");
  }

  @Test
  void deleteWhenStillReferencedThenTheReasonIsShownAndNothingIsDeleted() {
    String projectId = server.createProject("Referenced");
    String accountId = server.createServiceAccount(projectId, "in-use");
    String providerId =
        server.createProvider(
            "with-mapping",
            "https://issuer.example.com",
            "aud",
            Map.of("type", "discovery"),
            List.of());
    server.createRule(
        providerId,
        Map.of("sub", "x"),
        projectId,
        accountId,
        Map.of("type", "service_account_default"));

    browser.open(server.url() + "/dashboard/providers/" + providerId);
    browser.click("#delete-provider");
    browser.waitForTitle("Delete provider with-mapping");
    browser.click("#confirm");
    browser.waitForTitle("Delete provider with-mapping");
    assertThat(browser.text("#confirm-error")).contains("rule");
    browser.screenshot("11-delete-refused");
    assertThat(server.admin("GET", "/workload_identity_providers/" + providerId, null).status())
        .isEqualTo(200);

    browser.open(
        server.url()
            + "/dashboard/projects/"
            + projectId
            + "/service-accounts/"
            + accountId
            + "/delete");
    browser.click("#confirm");
    browser.waitForTitle("Delete service account in-use");
    assertThat(browser.text("#confirm-error")).contains("still used by 1 federation rule(s)");
  }

  @Test
  void auditLogWhenMoreThanAPageThenNewestFirstAndOlderEventsOnTheNextPage() {
    for (int i = 0; i < 30; i++) {
      server.createProject("paged-" + i);
    }
    browser.open(server.url() + "/dashboard/audit?type=project.created");
    browser.waitForTitle("Audit log");
    List<String> first =
        browser.driver.findElements(By.cssSelector("#events tbody tr")).stream()
            .map(e -> e.getAttribute("data-id"))
            .toList();
    assertThat(first).hasSize(AuditPages.PAGE);
    assertThat(browser.text("#events tbody tr:first-child")).contains("project.created");
    browser.click("#older");
    browser.waitForTitle("Audit log");
    List<String> second =
        browser.driver.findElements(By.cssSelector("#events tbody tr")).stream()
            .map(e -> e.getAttribute("data-id"))
            .toList();
    assertThat(second).isNotEmpty().doesNotContainAnyElementsOf(first);
    assertThat(browser.find("#type").getAttribute("value")).isEqualTo("project.created");
    browser.open(server.url() + "/dashboard/audit?since=yesterday");
    assertThat(browser.text("#since-error")).startsWith("since must be a date and time");
  }
}
