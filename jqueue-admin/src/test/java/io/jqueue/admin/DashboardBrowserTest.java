package io.jqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jqueue.Backoff;
import io.jqueue.Broker;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.Subscription;
import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.embedded.EmbeddedConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs): the page, its live charts, the dead-letter view with redrive,
 * and markup from the broker rendered as text. Screenshots go to {@code target/}.
 */
class DashboardBrowserTest {
  private static final String TOKEN = "browser-admin-token-0123";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ChromeDriver driver;
  private static Path profile;

  private EmbeddedBroker embedded;
  private AdminServer admin;

  @BeforeAll
  static void startBrowser() throws IOException {
    File chromium = new File(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    File chromedriver =
        new File(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    if (!chromium.canExecute() || !chromedriver.canExecute()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI must run the browser tests: install chromium and chromium-driver (.ci/run does)");
      }
      assumeTrue(false, "no Chromium here: apt-get install chromium chromium-driver");
    }
    profile = Files.createTempDirectory("jqueue-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
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
        "--window-size=1400,1100",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver)
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.get("about:blank"); // the page stops polling before its server goes
      consoleErrors(); // and what it logged stays with this test
    }
    if (admin != null) {
      admin.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }

  private AdminServer serve(Broker broker) {
    admin =
        AdminServer.builder(broker)
            .port(0)
            .token(TOKEN)
            .sampleEvery(Duration.ofMillis(250))
            .start();
    driver.get(admin.uri().toString());
    return admin;
  }

  @Test
  void showsEachQueueWithItsDepthAndChartsThatMoveWithoutConsoleErrors() throws IOException {
    embedded = broker();
    publish("orders", 3);
    publish("emails", 1);
    serve(embedded);

    awaitCell("orders", "depth", "3");
    awaitCell("emails", "depth", "1");
    WebElement depthChart = driver.findElement(By.id("chart-depth"));
    await().atMost(WAIT).until(() -> samples(depthChart) >= 2);
    assertThat(depthChart.findElements(By.tagName("canvas"))).isNotEmpty();
    assertThat(depthChart.getText()).contains("orders").contains("emails");

    int before = samples(depthChart);
    String updated = depthChart.getAttribute("data-updated");
    publish("orders", 2);
    awaitCell("orders", "depth", "5");
    await()
        .atMost(WAIT)
        .until(
            () ->
                samples(depthChart) > before
                    && !updated.equals(depthChart.getAttribute("data-updated")));
    assertThat(driver.findElement(By.id("health")).getText()).isEqualTo("UP");
    assertThat(consoleErrors()).isEmpty();
    screenshot("dashboard.png");
  }

  @Test
  void deadLetterViewListsTheLetterRedriveMovesItBackOnlyWithTheTokenAndPurgeEmptiesIt()
      throws IOException {
    embedded = broker();
    deadLetter(embedded, "payments", "card declined by the issuer");
    deadLetter(embedded, "emails", "mailbox full");
    serve(embedded);

    openDeadLetters("payments", "1");
    assertThat(firstLetter())
        .containsEntry("reason", "MAX_RETRIES")
        .containsEntry("attempts", "1")
        .containsEntry(
            "error-message", "java.lang.IllegalStateException: card declined by the issuer");
    assertThat(consoleErrors()).isEmpty();
    screenshot("dashboard-dead-letters.png");

    driver.findElement(By.id("redrive")).click();
    awaitStatus("refused (401)");
    assertThat(embedded.deadLetters("payments").count()).isEqualTo(1);

    String page = driver.getCurrentUrl();
    driver.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
    assertThat(driver.getCurrentUrl()).as("Enter sends the token nowhere").isEqualTo(page);
    driver.findElement(By.id("redrive")).click();
    awaitStatus("moved 1 dead letter(s) back to payments");
    assertThat(embedded.deadLetters("payments").count()).isZero();
    assertThat(embedded.stats("payments").ready()).isEqualTo(1);
    awaitCell("payments", "depth", "1");
    awaitCell("payments", "dlq", "0");

    openDeadLetters("emails", "1");
    WebElement purge = driver.findElement(By.id("purge"));
    purge.click(); // the first click only arms it
    assertThat(purge.getText()).isEqualTo("Click again to purge");
    assertThat(embedded.deadLetters("emails").count()).isEqualTo(1);
    purge.click();
    awaitStatus("purged 1 dead letter(s)");
    assertThat(embedded.deadLetters("emails").count()).isZero();
    awaitCell("emails", "dlq", "0");
    assertThat(consoleErrors())
        .as("only the refused redrive's 401, which Chromium logs as a failed load")
        .allMatch(e -> e.contains("401"));
  }

  @Test
  void markupInAQueueNameOrAnErrorMessageRendersAsText() {
    embedded = broker();
    String hostileQueue = "<img src=x onerror=alert(1)>";
    String hostileError =
        "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">";
    deadLetter(embedded, "hostile", hostileError);
    serve(new HostileNamesBroker(embedded, "hostile", hostileQueue));

    openDeadLetters(hostileQueue, "1");
    assertThat(firstLetter())
        .containsEntry("error-message", "java.lang.IllegalStateException: " + hostileError);
    assertThat(driver.findElement(By.id("dlq-queue")).getText()).isEqualTo(hostileQueue);
    WebElement hostileRow = eventually(d -> rowOrNull(hostileQueue));
    assertThat(hostileRow).isNotNull();
    assertThat(driver.findElements(By.cssSelector("main img, main script"))).isEmpty();
    assertThat(((JavascriptExecutor) driver).executeScript("return window.pwned === undefined"))
        .isEqualTo(true);
    try {
      driver.switchTo().alert();
      fail("an alert opened: markup from the broker ran as code");
    } catch (NoAlertPresentException expected) {
      // rendered as text
    }
    assertThat(consoleErrors()).isEmpty();
  }

  private static EmbeddedBroker broker() {
    EmbeddedBroker b =
        EmbeddedBroker.create(EmbeddedConfig.builder().statsReportInterval(Duration.ZERO).build());
    for (String q : List.of("orders", "emails", "payments", "hostile")) {
      b.declareQueue(QueueSpec.builder(q).maxRetries(1).backoff(Backoff.none()).build());
    }
    return b;
  }

  private void publish(String queue, int n) {
    for (int i = 0; i < n; i++) {
      embedded.publisher().publish(Message.builder().topic(queue).text(queue + i).build());
    }
  }

  private static void deadLetter(Broker broker, String queue, String error) {
    broker.publisher().publish(Message.builder().topic(queue).text("m").build());
    try (Subscription sub =
        broker.subscribe(
            queue,
            d -> {
              throw new IllegalStateException(error);
            })) {
      await().atMost(WAIT).until(() -> broker.deadLetters(queue).count() == 1);
    }
  }

  /**
   * Waits until {@code condition} gives a value (not null or false). The page redraws its tables
   * every two seconds, so an element found a moment ago may be gone: such a try is repeated.
   */
  private static <T> T eventually(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  private void openDeadLetters(String queue, String count) {
    awaitCell(queue, "dlq", count);
    eventually(
        d -> {
          rowOrNull(queue).findElement(By.className("view-dlq")).click();
          return true;
        });
    eventually(d -> d.findElement(By.id("dlq")).isDisplayed());
  }

  /** The cells of the first row of the dead-letter table, by class name. */
  private Map<String, String> firstLetter() {
    return eventually(
        d -> {
          List<WebElement> rows = d.findElements(By.cssSelector("#letters tbody tr"));
          if (rows.isEmpty()) {
            return null;
          }
          Map<String, String> cells = new HashMap<>();
          for (WebElement td : rows.get(0).findElements(By.tagName("td"))) {
            cells.put(td.getAttribute("class"), td.getText());
          }
          return cells;
        });
  }

  private void awaitStatus(String text) {
    eventually(d -> d.findElement(By.id("dlq-status")).getText().contains(text));
  }

  /** Waits until the cell {@code column} of {@code queue}'s row reads {@code text}. */
  private void awaitCell(String queue, String column, String text) {
    eventually(
        d -> {
          WebElement row = rowOrNull(queue);
          return row != null && row.findElement(By.className(column)).getText().equals(text);
        });
  }

  /** The row of {@code queue}, found by its name cell's text (never by building a selector). */
  private static WebElement rowOrNull(String queue) {
    for (WebElement row : driver.findElements(By.cssSelector("#queues tbody tr"))) {
      if (row.findElement(By.className("name")).getText().equals(queue)) {
        return row;
      }
    }
    return null;
  }

  private static int samples(WebElement chart) {
    String n = chart.getAttribute("data-samples");
    return n == null ? 0 : Integer.parseInt(n);
  }

  private static List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .collect(Collectors.toList());
  }

  private static void screenshot(String name) throws IOException {
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(
        driver.getScreenshotAs(OutputType.FILE).toPath(),
        target,
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(target)).isPositive();
  }
}
