package callbridge.admin;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.line;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ops page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), driven
 * through Selenium against the running bridge on loopback: token, dead letter, replay, hostile text, wrong token.
 * Leaves a screenshot of the page in {@code target/ops-page.png}; {@code -Dops.screenshot=docs/ops-page.png}
 * writes the copy docs/operate.md shows too.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.admin-token=ops-token", "cekura.retry-initial-delay=200ms", "vapi.webhook-secret=vapi-s3cret"})
class OpsPageBrowserTest extends BridgeHttpTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer ops-token");
    static final String HOSTILE_SCRIPT = "<script>window.__pwned = 1</script>";
    static final String HOSTILE_IMAGE = "<img src=x onerror=\"window.__pwned = 2\">";

    static final StubHttpServer cekura = StubHttpServer.start().answerByDefault(Answer.of(202, "{\"status\":\"accepted\"}"));
    static ChromeDriverService driverService;
    static WebDriver browser;
    static Path profile;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "ops-page-browser", cekura);
    }

    @BeforeAll
    static void startTheBrowser() throws IOException {
        boolean found = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!found && System.getenv("CI") != null) {
            Assertions.fail("CI has no " + CHROMIUM + " / " + CHROMEDRIVER + ": .ci/run installs chromium and chromium-driver");
        }
        Assumptions.assumeTrue(found, "No browser found locally (" + CHROMIUM + " and " + CHROMEDRIVER + "): the ops page "
                + "browser test is skipped. Install them with: apt-get install -y chromium chromium-driver");
        profile = Files.createTempDirectory("ops-page-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--no-proxy-server", "--window-size=1400,2300",
                "--user-data-dir=" + profile.toAbsolutePath());
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driverService, options);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        cekura.close();
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void freshTab() {
        browser.get(bridge.uri("/admin/").toString());
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        waitFor(d -> !d.findElements(By.cssSelector("#call-filters select[name=state] option")).isEmpty());
    }

    @Test
    void aDeadLetteredCallIsReplayedFromThePageAndShownDelivered() {
        cekura.scriptCall("salpre-962001", Answer.of(202, "{\"status\":\"accepted\"}"),
                Answer.of(400, "{\"detail\":\"agent_id must be an integer\"}"));
        endCall(962001, List.of(line("ai", "Hello", null), line("customer", "Hi", null)));
        long letterId = awaitLetter("962001").path("id").asLong();

        enterToken("ops-token");
        String letter = waitFor(d -> d.findElement(By.cssSelector("tr[data-dead-letter-id='" + letterId + "']")).getText());
        assertThat(letter).contains("salpre / 962001", "HTTP 400: {\"detail\":\"agent_id must be an integer\"}");
        waitFor(d -> d.findElement(By.cssSelector("tr[data-call-id='962001'][data-state='dead-lettered']")));

        click(By.cssSelector("tr[data-dead-letter-id='" + letterId + "'] button[data-action=replay]"));

        waitFor(d -> d.findElement(By.cssSelector("tr[data-call-id='962001'][data-state='delivered']")));
        WebElement outcome = waitFor(d -> d.findElement(By.cssSelector("li[data-replay-of='" + letterId + "'][data-outcome='delivered']")));
        assertThat(outcome.getText()).contains("dead letter " + letterId, "salpre / 962001", "delivered");
        waitFor(d -> d.findElements(By.cssSelector("tr[data-dead-letter-id='" + letterId + "']")).isEmpty());
        List<StubHttpServer.Request> sent = cekura.callsWithId("salpre-962001");
        assertThat(sent).extracting(StubHttpServer.Request::answeredStatus).containsExactly(400, 202);
        assertThat(sent.get(1).body()).isEqualTo(sent.get(0).body());
    }

    @Test
    void aHostileTranscriptIsShownAsTextAndRunsNothing() {
        hostileCall(962002);
        enterToken("ops-token");
        click(By.cssSelector("tr[data-call-id='962002'][data-state='delivered']"));

        WebElement transcript = waitFor(d -> {
            WebElement list = d.findElement(By.id("call-transcript"));
            return list.getText().contains(HOSTILE_SCRIPT) ? list : null;
        });
        assertThat(transcript.getText()).contains(HOSTILE_SCRIPT, HOSTILE_IMAGE);
        assertThat(browser.findElement(By.id("call-payload")).getText()).contains("window.__pwned = 1");
        WebElement event = browser.findElements(By.cssSelector("#call-events tr[data-event-id]")).stream()
                .filter(row -> row.getText().contains("transcript")).findFirst().orElseThrow();
        event.findElement(By.cssSelector("button[data-action=raw]")).click();
        WebElement raw = waitFor(d -> d.findElement(By.cssSelector("#call-events tr[data-raw-of] pre")));
        assertThat(raw.getText()).contains("\"transcript\": \"" + HOSTILE_SCRIPT + "\"");

        assertThat(js("return window.__pwned")).isNull();
        assertThat(js("return document.scripts.length")).isEqualTo(1L);          // ops.js alone
        assertThat(js("return document.querySelectorAll('img').length")).isEqualTo(0L);
    }

    @Test
    void aWrongTokenShowsAClearMessageAndNoData() {
        endCall(962003, List.of());
        WebElement message = waitFor(d -> displayed(d.findElement(By.id("message"))));
        assertThat(message.getText()).contains("needs its admin token", "BRIDGE_ADMIN_TOKEN");

        enterToken("not-the-token");
        waitFor(d -> d.findElement(By.id("message")).getText().contains("Wrong admin token"));
        assertThat(browser.findElement(By.id("message")).getText())
                .isEqualTo("Wrong admin token: the bridge refused it (401 missing or invalid admin token). "
                        + "Enter the value of BRIDGE_ADMIN_TOKEN.");
        assertThat(browser.findElements(By.cssSelector("[data-call-id]"))).isEmpty();
        assertThat(browser.findElement(By.name("token")).getAttribute("value")).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("not-the-token");

        enterToken("ops-token");
        waitFor(d -> d.findElement(By.cssSelector("tr[data-call-id='962003']")));
        waitFor(d -> d.findElement(By.id("message")).isDisplayed() ? null : true);
        assertThat(browser.getPageSource()).doesNotContain("ops-token");
    }

    @Test
    void aCallWhoseIdHasASpaceASlashAndAColonOpensWithItsRawEvent() {
        String id = "ops call/7: \u00fc";
        for (String event : List.of(
                "{\"type\":\"call.started\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"call_id\":\"" + id + "\"}}",
                "{\"type\":\"call.ended\",\"timestamp\":\"2026-03-01T10:02:00Z\",\"data\":{\"call_id\":\"" + id + "\"}}")) {
            assertThat(bridge.post("/webhooks/generic", event, Map.of("webhook-id", "msg_" + java.util.UUID.randomUUID())).statusCode())
                    .isEqualTo(200);
        }
        cekura.awaitOnlyCall("generic-" + id);
        enterToken("ops-token");
        click(By.cssSelector("tr[data-call-id='" + id + "'][data-state='delivered']"));

        waitFor(d -> id.equals(d.findElement(By.id("call-detail")).getAttribute("data-detail-call-id")));
        assertThat(browser.findElement(By.id("call-title")).getText()).isEqualTo("Call generic / " + id);
        WebElement event = waitFor(d -> d.findElements(By.cssSelector("#call-events tr[data-event-id]")).stream()
                .filter(row -> row.getText().contains("call.started")).findFirst().orElse(null));
        event.findElement(By.cssSelector("button[data-action=raw]")).click();
        WebElement raw = waitFor(d -> d.findElement(By.cssSelector("#call-events tr[data-raw-of] pre")));
        assertThat(raw.getText()).contains("\"call_id\": \"" + id + "\"");
        assertThat(browser.findElement(By.id("message")).isDisplayed()).isFalse();
    }

    @Test
    void refusedWebhooksShowAtAGlanceAndARotatedSecretStandsOut() {
        refuseVapiTwice();
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", 962021, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", "{not json").statusCode()).isEqualTo(400);
        enterToken("ops-token");

        // the summary is drawn again at each refresh: each entry is read in one go, again if it was just replaced
        Map<String, String> vapi = refusedEntry("vapi");
        assertThat(vapi.get("class")).isEqualTo("refused-only");
        // the screenshot test refuses vapi's too, in the same context: at least this test's two
        assertThat(vapi.get("text")).contains("vapi", "none accepted").containsPattern("unauthorized ([2-9]|\\d\\d)");
        assertThat(vapi.get("title")).contains("rotated secret");
        Map<String, String> salpre = refusedEntry("salpre");
        assertThat(salpre.get("class")).isEmpty();
        assertThat(salpre.get("text")).contains("salpre", "malformed 1", "accepted").doesNotContain("none accepted");
        assertThat(browser.findElement(By.id("summary-refused-window")).getAttribute("textContent")).isEqualTo("(this node, last 15m)");
        assertThat(browser.findElement(By.id("summary-refused-none")).isDisplayed()).isFalse();
    }

    private static Map<String, String> refusedEntry(String provider) {
        return waitFor(d -> {
            WebElement entry = d.findElement(By.cssSelector("#summary-refused li[data-refused-provider='" + provider + "']"));
            return Map.of("class", String.valueOf(entry.getAttribute("class")), "text", entry.getText(),
                    "title", String.valueOf(entry.getAttribute("title")));
        });
    }

    private void refuseVapiTwice() {
        for (int i = 0; i < 2; i++) {
            assertThat(bridge.post("/webhooks/vapi", "{\"message\":{\"type\":\"status-update\"}}",
                    Map.of("X-Vapi-Secret", "the-old-secret")).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void screenshotOfThePage() throws IOException {
        cekura.scriptCall("salpre-962011", Answer.of(503), Answer.of(400, "{\"detail\":\"unknown agent\"}"));
        endCall(962011, List.of(line("ai", "Hello, this is Acme support.", null)));
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", 962012, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/cekura/outbound-trigger",
                "{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550101\"}").statusCode()).isEqualTo(201);
        hostileCall(962013);
        refuseVapiTwice();
        awaitLetter("962011");

        enterToken("ops-token");
        click(By.cssSelector("tr[data-call-id='962013'][data-state='delivered']"));
        waitFor(d -> d.findElement(By.id("call-transcript")).getText().contains(HOSTILE_SCRIPT));
        js("window.scrollTo(0, 0)");
        Path shot = Path.of("target", "ops-page.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
        String copy = System.getProperty("ops.screenshot");
        if (copy != null && !copy.isBlank()) {
            Files.copy(shot, Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void hostileCall(long id) {
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", transcript(id, 1760084580, "customer", HOSTILE_SCRIPT, null)).statusCode())
                .isEqualTo(200);
        endCall(id, List.of(line("ai", "How can I help?", null), line("customer", HOSTILE_SCRIPT, null),
                line("ai", HOSTILE_IMAGE, null)));
        cekura.awaitOnlyCall("salpre-" + id);
        await().atMost(Duration.ofSeconds(10)).until(() -> bridge.get("/admin/calls/salpre/" + id, ADMIN).body()
                .contains("\"state\":\"delivered\""));
    }

    private void endCall(long id, List<Map<String, Object>> lines) {
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", ended(id, 1760084597, lines)).statusCode()).isEqualTo(200);
    }

    private JsonNode awaitLetter(String callId) {
        return await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode letter : BridgeTestSupport.JSON.readTree(bridge.get("/admin/dead-letters", ADMIN).body())) {
                if (letter.path("callId").asText().equals(callId) && letter.path("status").asText().equals("waiting")) {
                    return letter;
                }
            }
            return null;
        }, java.util.Objects::nonNull);
    }

    private void enterToken(String token) {
        WebElement field = browser.findElement(By.cssSelector("input[name=token]"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.cssSelector("button[data-action=use-token]")).click();
    }

    /** Rows are drawn again at each refresh: find and click in one go, again if the row was just replaced. */
    private static void click(By target) {
        waitFor(d -> {
            d.findElement(target).click();
            return true;
        });
    }

    private static WebElement displayed(WebElement element) {
        return element.isDisplayed() ? element : null;
    }

    private static <T> T waitFor(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }
}
