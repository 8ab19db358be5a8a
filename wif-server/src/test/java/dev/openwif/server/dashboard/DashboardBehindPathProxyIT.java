package dev.openwif.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.server.PathPrefixProxy;
import dev.openwif.server.sts.LiveServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * {@code --public-url http://127.0.0.1:PORT/wif} with the server behind a proxy that removes {@code
 * /wif} ({@link PathPrefixProxy}): in a real headless Chromium that reaches the dashboard only
 * through the proxy at {@code /wif/dashboard/}, every link, form, redirect, asset and the session
 * cookie stay under {@code /wif/dashboard}, so signing in, creating a provider, following links and
 * signing out all work and no request leaves {@code /wif/}. Asked directly, the server serves the
 * dashboard at {@code /dashboard} only (so the proxy offers no second address for it, such as
 * {@code /wif/wif/dashboard/}), its links pointing under {@code /wif/dashboard}.
 */
@Tag("crypto-neutral")
class DashboardBehindPathProxyIT {
  @TempDir static Path dir;
  @AutoClose static PathPrefixProxy proxy;
  @AutoClose static LiveServer server;
  @AutoClose static Browser browser;
  static String base;

  @BeforeAll
  static void start() {
    proxy = new PathPrefixProxy("/wif");
    server = LiveServer.start(LiveServer.config(dir).withPublicUrl(proxy.origin() + "/wif"));
    proxy.forwardTo(server.port());
    base = proxy.origin() + "/wif/dashboard";
    browser = Browser.start();
  }

  /** Every URL the page's links, forms, stylesheet and script name, as written in the HTML. */
  private static List<String> urlsOnThePage() {
    List<String> urls = new ArrayList<>();
    for (String[] selector :
        List.of(
            new String[] {"a[href]", "href"},
            new String[] {"form[action]", "action"},
            new String[] {"link[href]", "href"},
            new String[] {"script[src]", "src"})) {
      for (WebElement element : browser.driver.findElements(By.cssSelector(selector[0]))) {
        urls.add(element.getDomAttribute(selector[1]));
      }
    }
    return urls;
  }

  private static void assertEveryUrlOnThePageUnderTheBase() {
    assertThat(urlsOnThePage())
        .as("URLs on " + browser.driver.getCurrentUrl())
        .isNotEmpty()
        .allSatisfy(url -> assertThat(url).matches("#main|/wif/dashboard/.+"));
  }

  @Test
  void browserWhenOnlyThroughTheProxyThenSignInCreateFollowAndSignOutStayUnderThePath() {
    browser.open(base + "/");
    browser.waitForTitle("Sign in");
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/sign-in");
    assertEveryUrlOnThePageUnderTheBase();
    browser.type("#admin_key", LiveServer.ADMIN_KEY);
    browser.click("#sign-in");
    browser.waitForTitle("Workload Identity Providers");
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/providers");
    Cookie cookie = browser.driver.manage().getCookieNamed(Web.COOKIE);
    assertThat(cookie).isNotNull();
    assertThat(cookie.getPath()).isEqualTo("/wif/dashboard");
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    assertEveryUrlOnThePageUnderTheBase();

    browser.click("#new-provider");
    browser.waitForTitle("Create a Workload Identity Provider");
    assertEveryUrlOnThePageUnderTheBase();
    browser.type("#name", "behind-the-proxy");
    browser.type("#issuer", "https://issuer.example.com");
    browser.type("#audience", "aud");
    browser.click("#save-provider");
    browser.waitForTitle("Provider behind-the-proxy");
    assertThat(browser.text("#notice")).isEqualTo("Provider created.");
    String providerPage = browser.driver.getCurrentUrl().replaceFirst("\\?notice=created$", "");
    assertThat(providerPage).startsWith(base + "/providers/wip_");
    assertEveryUrlOnThePageUnderTheBase();

    browser.click("nav a[href$='/projects']");
    browser.waitForTitle("Projects");
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/projects");
    browser.click("nav a[href$='/providers']");
    browser.waitForTitle("Workload Identity Providers");
    browser.click("#providers a");
    browser.waitForTitle("Provider behind-the-proxy");
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(providerPage);

    browser.click("#sign-out");
    browser.waitForTitle("Sign in");
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/sign-in");
    assertThat(browser.driver.manage().getCookieNamed(Web.COOKIE)).isNull();
    browser.open(providerPage);
    browser.waitForTitle("Sign in");

    // the one request outside /wif/ is Chromium's own guess at an icon, which no page names
    assertThat(proxy.received())
        .filteredOn(path -> !path.equals("/favicon.ico"))
        .contains(
            "/wif/dashboard/sign-in",
            "/wif/dashboard/static/dashboard.css",
            "/wif/dashboard/static/dashboard.js",
            "/wif/dashboard/providers/new",
            "/wif/dashboard/sign-out")
        .allSatisfy(path -> assertThat(path).startsWith("/wif/"));
    assertThat(
            server
                .adminOk("GET", "/workload_identity_providers?limit=100", null)
                .get("data")
                .findValuesAsText("name"))
        .contains("behind-the-proxy");
  }

  @Test
  void serverWhenAskedDirectlyThenServesOnlyDashboardAndPointsAtThePrefixedPath() throws Exception {
    DashboardHttp direct = new DashboardHttp(server.address());

    String path = "/dashboard";
    HttpResponse<String> signedOut = direct.get(path + "/providers", Optional.empty());
    assertThat(signedOut.statusCode()).as(path).isEqualTo(303);
    assertThat(signedOut.headers().firstValue("Location"))
        .as(path)
        .hasValue("/wif/dashboard/sign-in");
    HttpResponse<String> signIn =
        direct.post(path + "/sign-in", Optional.empty(), Map.of("admin_key", LiveServer.ADMIN_KEY));
    assertThat(signIn.statusCode()).as(path).isEqualTo(303);
    assertThat(signIn.headers().firstValue("Location"))
        .as(path)
        .hasValue("/wif/dashboard/providers");
    assertThat(signIn.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("; Path=/wif/dashboard;", "; HttpOnly", "; SameSite=Strict");
    String session = DashboardHttp.sessionOf(signIn);
    HttpResponse<String> page = direct.get(path + "/providers", Optional.of(session));
    assertThat(page.statusCode()).as(path).isEqualTo(200);
    assertThat(page.body())
        .contains("href=\"/wif/dashboard/static/dashboard.css\"")
        .contains("action=\"/wif/dashboard/sign-out\"")
        .doesNotContain("\"/dashboard");
    assertThat(direct.get("/wif/oauth/token", Optional.empty()).statusCode()).isEqualTo(404);
    // no second address: through the proxy it would be /wif/wif/dashboard/, which a proxy rule
    // restricting /wif/dashboard/ does not cover
    assertThat(direct.get("/wif/dashboard/sign-in", Optional.empty()).statusCode()).isEqualTo(404);
    assertThat(
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(proxy.origin() + "/wif/wif/dashboard/sign-in"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(404);
  }
}
