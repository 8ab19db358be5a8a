package dev.openwif.server.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the dashboard's browser tests: Debian's {@code /usr/bin/chromium} driven
 * through {@code /usr/bin/chromedriver}, both named explicitly so Selenium Manager never downloads
 * a browser or driver; a fresh profile directory per browser. One per test class (starting one
 * costs about a second). Screenshots go to {@code target/dashboard-screenshots/}.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("wif.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER =
      System.getProperty("wif.chromedriver", "/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

  final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser start() {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new IllegalStateException(
          "the dashboard's browser tests need Debian's chromium and chromium-driver ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "); install them with: apt-get install -y chromium chromium-driver");
    }
    // Selenium Manager only runs when no driver is named; name it both ways.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    try {
      Path profile = Files.createTempDirectory("wif-chromium-profile");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM);
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-quic",
          "--no-first-run",
          "--window-size=1280,900",
          "--user-data-dir=" + profile);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(new File(CHROMEDRIVER))
              .usingAnyFreePort()
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
      return new Browser(driver, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void open(String url) {
    driver.get(url);
  }

  /**
   * Whether the element left the document. Chrome reports that either as a stale reference or as
   * "Node with given id does not belong to the document", which Selenium's own staleness check does
   * not recognise.
   */
  private static boolean gone(WebElement element) {
    try {
      element.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return true;
    } catch (org.openqa.selenium.WebDriverException e) {
      String message = e.getMessage();
      if (message != null && message.contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  /** The element, waiting up to 10 s for it to appear (a page still loading). */
  WebElement find(String css) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(d -> d.findElement(By.cssSelector(css)));
    } catch (org.openqa.selenium.TimeoutException e) {
      return driver.findElement(By.cssSelector(css)); // throws the precise NoSuchElementException
    }
  }

  void type(String css, String text) {
    WebElement e = find(css);
    e.clear();
    e.sendKeys(text);
  }

  /**
   * Clicks; when the element submits a form or follows a link, waits until the old page is gone, so
   * a next page with the same title is not mistaken for the old one mid-navigation.
   */
  void click(String css) {
    WebElement element = find(css);
    String tag = element.getTagName();
    String type = element.getAttribute("type");
    boolean navigates =
        tag.equals("a") || (tag.equals("button") && (type == null || type.equals("submit")));
    WebElement oldPage = driver.findElement(By.tagName("html"));
    element.click();
    if (navigates) {
      try {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> gone(oldPage));
      } catch (org.openqa.selenium.TimeoutException e) {
        // a click that did not navigate after all (the page handled it): go on
      }
    }
  }

  String title() {
    return driver.getTitle();
  }

  String text(String css) {
    return find(css).getText();
  }

  void waitForTitle(String startsWith) {
    try {
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(d -> d.getTitle() != null && d.getTitle().startsWith(startsWith));
    } catch (org.openqa.selenium.TimeoutException e) {
      String body = driver.findElement(By.tagName("body")).getText();
      throw new AssertionError(
          "expected a page titled '"
              + startsWith
              + "...', got '"
              + driver.getTitle()
              + "' showing: "
              + body.substring(0, Math.min(body.length(), 2000)),
          e);
    }
  }

  void width(int pixels) {
    driver.manage().window().setSize(new Dimension(pixels, 900));
  }

  /** Saves a screenshot of the page as {@code target/dashboard-screenshots/NAME.png}. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path to = SCREENSHOTS.resolve(name + ".png");
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temp profile is harmless
      }
    }
  }
}
