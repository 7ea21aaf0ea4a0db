package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.NodeContents;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.InstalledProduct;
import io.wavegate.plugin.Dashboard;
import io.wavegate.sim.Chart;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * {@code kubectl wavegate dashboard} in a real browser (Debian's headless Chromium through its chromedriver)
 * against a real API server, the packaged operator as the chart runs it and a simulated fleet: the fleet map
 * follows a revision through the canary, turns the canary red on a reboot, and back to stable when abort
 * rolls it back; read-only mode has no buttons; a cluster's strings are shown as text. Skipped, with a
 * message, where no Chromium is installed (scripts/test.sh installs it where it can).
 */
class DashboardTest {

  /** scripts/test.sh passes where scripts/chromium.sh found them, or why it did not. */
  static final Path CHROMIUM = Path.of(System.getProperty("wavegate.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("wavegate.chromedriver", "/usr/bin/chromedriver"));
  static final String NS = Chart.NAMESPACE;
  static final String FILE = "C-00000291.sys";
  /** Screenshots for docs/kubectl-plugin.md (copied to docs/images by hand when they change). */
  static final Path SHOTS = ApiServer.repoRoot().resolve("e2e/target/dashboard");

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  static InstalledProduct product;
  static ChromeDriver browser;
  KubernetesClient client;

  @BeforeAll
  static void startBrowserAndOperator() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        System.getProperty("wavegate.chromium.skipped", "no Chromium here (" + CHROMIUM + ", " + CHROMEDRIVER
            + "): apt-get install chromium chromium-driver, as scripts/test.sh does where it can"));
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1400,1000");
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .build(), options);
    Files.createDirectories(SHOTS);
    product = InstalledProduct.install(api);
    product.startOperator("wavegate-operator-0", Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (product != null) {
      product.close();
    }
  }

  @Test
  void theMapFollowsTheCanaryTurnsRedOnARebootAndBackToStableWhenAbortRollsBack() throws Exception {
    client = api.client();
    String id = "d" + UUID.randomUUID().toString().substring(0, 6);
    try (SimulatedFleet fleet = fleet(id); Dashboard dashboard = dashboard(false)) {
      Rollouts.apply(client, id, spec(id, "v1", "0s"));
      await().atMost(Duration.ofSeconds(60)).until(() -> phaseOf(id) == RolloutPhase.Succeeded);
      browser.get(dashboard.url() + "#" + id);
      String canary = fleet.nodesInPool("canary").get(0);
      String broad = fleet.nodesInPool("broad").get(0);
      awaitMap(() -> count("Stable") == 6, "every node stable on v1");

      Rollouts.apply(client, id, spec(id, "v2", "10m"));
      awaitMap(() -> "New".equals(stateOf(canary)) && "New".equals(colourAt(canary)) && count("New") == 2,
          "the canary on v2, drawn so");
      assertThat(stateOf(broad)).isEqualTo("Stable");
      assertThat(colourAt(broad)).isEqualTo("Stable");
      shot("dashboard-canary");

      fleet.reboot(canary);
      awaitMap(() -> "Failed".equals(stateOf(canary)) && "Failed".equals(colourAt(canary)),
          "the rebooted canary red");
      assertThat(browser.findElement(By.id("stopped")).getText()).contains("NodeReboots").contains(canary);
      shot("dashboard-halted");

      browser.findElement(By.cssSelector("#actions button[data-action=abort]")).click();
      browser.switchTo().alert().accept();
      await().atMost(Duration.ofSeconds(60)).until(() -> phaseOf(id) == RolloutPhase.RolledBack);
      awaitMap(() -> count("Stable") == 6 && "Stable".equals(colourAt(canary)), "every node back on v1");
      assertThat(browser.findElement(By.id("phase")).getText()).contains("RolledBack");
      shot("dashboard-rolled-back");
    }
  }

  @Test
  void readOnlyHasNoButtonsAndRefusesActions() throws Exception {
    client = api.client();
    String id = "r" + UUID.randomUUID().toString().substring(0, 6);
    try (SimulatedFleet fleet = fleet(id); Dashboard dashboard = dashboard(true)) {
      Rollouts.apply(client, id, spec(id, "v1", "0s"));
      browser.get(dashboard.url() + "#" + id);
      awaitMap(() -> count("Stable") + count("New") + count("Applying") == 6, "the map drawn");
      assertThat(browser.findElements(By.tagName("button"))).as("no button at all").isEmpty();
      assertThat(browser.findElement(By.id("mode")).getText()).isEqualTo("read-only");
      String token = (String) js("return document.querySelector('meta[name=\"wavegate-token\"]').content");
      HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(dashboard.url() + "api/rollouts/" + id + "/abort")).header("X-Wavegate-Token", token)
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("read-only");
      HttpResponse<String> noToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(dashboard.url() + "api/rollouts")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(noToken.statusCode()).as("the API needs the page's token").isEqualTo(401);
      shot("dashboard-read-only");
    }
  }

  @Test
  void aClustersStringsAreShownAsText() throws Exception {
    client = api.client();
    String id = "x" + UUID.randomUUID().toString().substring(0, 6);
    try (SimulatedFleet fleet = fleet(id); Dashboard dashboard = dashboard(false)) {
      Rollouts.apply(client, id, spec(id, "v1", "0s"));
      await().atMost(Duration.ofSeconds(60)).until(() -> phaseOf(id) == RolloutPhase.Succeeded);
      String node = fleet.nodesInPool("broad").get(1);
      String markup = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
      fleet.silence(node); // its agent would report again what it holds
      NodeContents.applyReport(Chart.asAgentOn(client, node), node, id, new AgentReport(
          Rollouts.status(client, id).getRevisionDigest(), AgentReport.FAILED, "WriteError", markup,
          Instant.now().toString()));
      browser.get(dashboard.url() + "#" + id);
      awaitMap(() -> "Failed".equals(stateOf(node)), "the node's failed report drawn");
      @SuppressWarnings("unchecked")
      Map<String, Number> cell = (Map<String, Number>) js("const c = window.wavegateDashboard.cellOf(arguments[0]);"
          + " return {x: c.x, y: c.y};", node);
      WebElement canvas = browser.findElement(By.id("map"));
      new Actions(browser).moveToElement(canvas, cell.get("x").intValue() - canvas.getSize().getWidth() / 2 + 2,
          cell.get("y").intValue() - canvas.getSize().getHeight() / 2 + 2).perform();
      WebElement tooltip = browser.findElement(By.id("tooltip"));
      await().atMost(Duration.ofSeconds(5)).until(tooltip::isDisplayed);
      assertThat(tooltip.getText()).contains(node).contains(markup);
      assertThat(js("return window.pwned === undefined")).as("no markup ran").isEqualTo(true);
      assertThat(browser.findElements(By.tagName("script"))).as("only the page's own script").hasSize(1);
    }
  }

  @Test
  void twentyThousandNodesDrawInAFrame() throws Exception {
    try (Dashboard dashboard = dashboard(true)) {
      browser.get(dashboard.url());
      await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("connection")).getText().equals("live"));
      double first = ((Number) js("return window.wavegateDashboard.drawSynthetic(20000)")).doubleValue();
      double[] again = new double[5];
      for (int i = 0; i < again.length; i++) {
        again[i] = ((Number) js("return window.wavegateDashboard.drawSynthetic(20000)")).doubleValue();
      }
      java.util.Arrays.sort(again);
      System.out.printf("[figure] dashboard: a fleet map of 20,000 nodes drawn in %.1f ms the first time, %.1f ms"
          + " (median of 5) after, headless Chromium on this machine%n", first, again[2]);
      assertThat(((Number) js("return window.wavegateDashboard.counts().reduce((a, b) => a + b, 0)")).intValue())
          .as("every cell drawn").isEqualTo(20_000);
    }
  }

  private SimulatedFleet fleet(String id) {
    Map<String, Integer> pools = new LinkedHashMap<>();
    pools.put("canary", 2);
    pools.put("early", 1);
    pools.put("broad", 3);
    return new SimulatedFleet(client, id, pools, node -> Chart.asAgentOn(client, node));
  }

  private Dashboard dashboard(boolean readOnly) throws IOException {
    return Dashboard.start(api.client(), new Dashboard.Options("127.0.0.1", 0, readOnly, false), Clock.systemUTC());
  }

  private ContentRolloutSpec spec(String id, String content, String canaryBake) {
    String digest = Rollouts.publish(client, NS, id + "-" + content, FILE,
        ("rules " + content + " " + id).getBytes(StandardCharsets.UTF_8));
    ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(NS, id + "-" + content, FILE), canaryBake,
        Map.of("fleet", id));
    spec.getStrategy().setRollback(RollbackPolicy.Manual); // a breach halts: the map shows it red until abort
    return spec;
  }

  private void awaitMap(java.util.concurrent.Callable<Boolean> condition, String what) {
    await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(condition);
  }

  private RolloutPhase phaseOf(String rollout) {
    var status = Rollouts.status(client, rollout);
    return status == null ? null : status.getPhase();
  }

  private String stateOf(String node) {
    return (String) js("return window.wavegateDashboard.stateOf(arguments[0])", node);
  }

  private String colourAt(String node) {
    return (String) js("return window.wavegateDashboard.colourAt(arguments[0])", node);
  }

  private long count(String state) {
    List<WebElement> legend = browser.findElements(By.cssSelector("#legend span[data-state=" + state + "]"));
    return legend.isEmpty() ? -1 : Long.parseLong(legend.get(0).getAttribute("data-count"));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private void shot(String name) throws IOException {
    Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
