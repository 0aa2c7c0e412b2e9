package io.recap.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.RelabelResult;
import io.recap.core.messages.Topics;
import io.recap.core.json.Json;
import io.recap.core.model.ModelStore;
import io.recap.core.store.LocalBlobStore;
import io.recap.orchestrator.evaluation.EvaluationRecord;
import io.recap.orchestrator.evaluation.TextToImageEvaluation;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.orchestrator.support.TestModels;
import io.recap.service.security.TestApiKeys;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.text.CaptionKind;
import io.recap.shapes.text.CaptionSet;
import io.recap.shapes.text.CaptionWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The web console ({@code /console}) in headless Chromium driven by Selenium, against the whole orchestrator (real
 * broker, database, store, simulated training jobs): sign-in, a corpus, a job run to the end, a model promoted.
 * Needs Debian's {@code chromium} and {@code chromium-driver} (.ci/run installs them); without them it is skipped.
 * Each page's screenshot goes to {@code recap.console.screenshots} (default {@code target/console-screenshots};
 * {@code -Drecap.console.screenshots=../docs/console} refreshes the README's).
 */
class ConsoleBrowserTests extends OrchestratorIntegrationTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("recap.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("recap.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of(System.getProperty("recap.console.screenshots",
            "target/console-screenshots"));
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ModelRef CAPTIONER = ModelRef.captioner("console-cap", "v1");
    private static final ModelRef FAILING_CAPTIONER = ModelRef.captioner("console-cap", "v2");
    private static final String CORPUS = "console-corpus";
    private static final int IMAGE_SIZE = 64;

    private static WebDriver browser;

    @Autowired
    ModelStore models;

    @Autowired
    LocalBlobStore blobs;

    @BeforeAll
    static void startBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Skips each test, saying why, where there is no browser: the reports then count them as skipped. */
    @BeforeEach
    void browserCorpusAndModels() throws Exception {
        assumeTrue(browser != null, "console browser tests skipped: " + CHROMIUM + " and " + CHROMEDRIVER
                + " are needed (apt-get install chromium chromium-driver)");
        TestModels.captioner(models, CAPTIONER.name(), CAPTIONER.version());
        TestModels.textToImage(models, "console-sd", "v1", CORPUS, CAPTIONER);
        if (get("/corpora/" + CORPUS).statusCode() == 200) {
            return;
        }
        // ShapesWorld scenes with their own alt-text and captions, so that the screenshots show what a corpus looks like.
        List<CorpusIngestBatch.Item> items = new ArrayList<>();
        List<CaptionSet> texts = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            Scene scene = SceneGenerator.generate(42, i);
            Path file = DATA_DIR.resolve("corpora").resolve(CORPUS).resolve("img-" + i + ".png");
            Files.createDirectories(file.getParent());
            ImageIO.write(SceneRenderer.render(scene, IMAGE_SIZE), "png", file.toFile());
            CaptionSet text = CaptionWriter.captions(scene, i);
            texts.add(text);
            items.add(new CorpusIngestBatch.Item("img-" + i, ImageRef.ofUri(file.toUri().toString()), text.altText()));
        }
        send(Topics.CORPUS_INGEST, new CorpusIngestBatch(CORPUS, "b1", items));
        await().atMost(PATIENCE).until(() -> get("/corpora/" + CORPUS).statusCode() == 200);
        for (int i = 1; i <= 12; i++) {
            CaptionSet text = texts.get(i - 1);
            Map<CaptionStyle, String> captions = i % 2 == 0
                    ? Map.of(CaptionStyle.SHORT, text.shortCaption(), CaptionStyle.LONG, text.longCaption())
                    : Map.of(CaptionStyle.SHORT, text.shortCaption());
            send(Topics.RELABEL_RESULTS, RelabelResult.success("img-" + i, CORPUS, "r1", CAPTIONER, captions));
            send(Topics.RELABEL_RESULTS, RelabelResult.failure("img-" + i, CORPUS, "r2", FAILING_CAPTIONER,
                    i % 3 == 0 ? "DECODE" : "TRUNCATED", "image " + i + " could not be read"));
        }
        await().atMost(PATIENCE).until(() -> {
            JsonNode corpus = getJson("/corpora/" + CORPUS);
            return corpus.get("captions").path(CAPTIONER.toString()).path("LONG").asLong() == 6
                    && corpus.get("relabelFailures").path(FAILING_CAPTIONER.toString()).asLong() == 12;
        });
    }

    @Test
    void aKeyTheApiRefusesIsNotKeptAndAnAcceptedOneOpensTheCorpora() throws Exception {
        signOut();
        browser.get(url("/console/index.html#/corpora"));
        WebElement key = waitFor(By.id("api-key"));
        assertThat(browser.switchTo().activeElement()).as("the key field has focus").isEqualTo(key);
        key.sendKeys("recap_not-a-key", Keys.ENTER);
        waitForText(By.cssSelector("#login [role=alert]"), "Not signed in");
        assertThat(storedKey()).isNull();
        screenshot("login");

        key.clear();
        key.sendKeys(TestApiKeys.VIEWER, Keys.ENTER);
        WebElement corpora = waitFor(By.id("corpora"));
        assertThat(browser.getCurrentUrl()).as("back where the user was going").endsWith("#/corpora");
        assertThat(storedKey()).isEqualTo(TestApiKeys.VIEWER);
        WebElement row = corpora.findElement(By.xpath(".//tr[td/a[text()='" + CORPUS + "']]"));
        assertThat(row.getText()).contains(getJson("/corpora/" + CORPUS).get("imageCount").asString());
        screenshot("corpora");

        browser.findElement(By.id("sign-out")).click();
        waitFor(By.id("api-key"));
        assertThat(storedKey()).isNull();
    }

    @Test
    void aCorpusShowsItsCountsAndCaptionCoverageAndPagesThroughItsFailuresWithTheArrowKeys() throws Exception {
        signIn(TestApiKeys.VIEWER);
        browser.get(url("/console/index.html#/corpora"));
        waitFor(By.linkText(CORPUS)).click();

        JsonNode corpus = getJson("/corpora/" + CORPUS);
        WebElement facts = waitFor(By.id("corpus-facts"));
        assertThat(facts.getText()).contains("Images\n" + corpus.get("imageCount").asLong(),
                "Ingest batches\n" + corpus.get("batchCount").asLong());
        String coverage = waitFor(By.id("coverage")).getText();
        assertThat(coverage).contains(CAPTIONER + " 6 (50 %) 12 (100 %)");
        assertThat(waitFor(By.id("failure-counts")).getText()).contains(FAILING_CAPTIONER + " 12 DECODE 4, TRUNCATED 8");

        waitForText(By.id("failures-position"), "Page 1 of 2 (12 failures)");
        assertThat(rows(By.cssSelector("#failure-list tbody tr"))).hasSize(10);
        assertThat(browser.findElement(By.id("failure-list")).getText()).contains("TRUNCATED", "DECODE");
        screenshot("corpus");
        WebElement next = browser.findElement(By.id("failures-next"));
        next.sendKeys(Keys.ARROW_RIGHT);
        waitForText(By.id("failures-position"), "Page 2 of 2");
        assertThat(rows(By.cssSelector("#failure-list tbody tr"))).hasSize(2);
        assertThat(next.isEnabled()).isFalse();
        browser.findElement(By.id("failures-previous")).sendKeys(Keys.ARROW_LEFT);
        waitForText(By.id("failures-position"), "Page 1 of 2");
    }

    @Test
    void theCaptionBrowserShowsEachImageWithItsAltTextAndBothCaptionsAndPagesWithTheArrowKeys() throws Exception {
        signIn(TestApiKeys.VIEWER);
        browser.get(url("/console/index.html#/corpora/" + CORPUS));
        waitFor(By.id("browse-captions")).click();

        waitForText(By.id("captions-position"), "Images 1–8 of 12");
        JsonNode page = getJson("/corpora/" + CORPUS + "/images?size=8&captioner=" + CAPTIONER);
        JsonNode even = null;
        for (JsonNode image : page.get("images")) {
            if (image.get("captions").has("LONG")) {
                even = image;
                break;
            }
        }
        WebElement card = browser.findElement(By.cssSelector("article[data-image-id='" + even.get("imageId").asString()
                + "']"));
        assertThat(card.getText()).contains(even.get("altText").asString(),
                even.get("captions").get("SHORT").asString(), even.get("captions").get("LONG").asString());
        new WebDriverWait(browser, PATIENCE).until(driver -> ((Number) ((JavascriptExecutor) driver).executeScript(
                "return arguments[0].naturalWidth", card.findElement(By.tagName("img")))).intValue() == IMAGE_SIZE);
        WebElement odd = browser.findElement(By.cssSelector("article[data-image-id='img-1']"));
        assertThat(odd.getText()).contains("LONG\nnot captioned");
        screenshot("captions");

        browser.findElement(By.id("captions-next")).sendKeys(Keys.ARROW_RIGHT);
        waitForText(By.id("captions-position"), "Images 9–12 of 12");
        assertThat(browser.findElements(By.cssSelector("article.caption-card"))).hasSize(4);
        assertThat(browser.findElement(By.id("captions-next")).isEnabled()).isFalse();

        new Select(browser.findElement(By.id("caption-filter"))).selectByValue("lacks=LONG");
        waitForText(By.id("captions-position"), "Images 1–6 matching");
        assertThat(browser.findElements(By.cssSelector("article.caption-card"))).hasSize(6)
                .allSatisfy(lacking -> assertThat(lacking.getText()).contains("LONG\nnot captioned"));
        new Select(browser.findElement(By.id("caption-filter"))).selectByValue("");
        WebElement search = browser.findElement(By.id("caption-search"));
        search.sendKeys("triangle", Keys.ENTER);
        int matching = getJson("/corpora/" + CORPUS + "/images?size=8&captioner=" + CAPTIONER + "&q=triangle")
                .get("images").size();
        assertThat(matching).as("some scenes have triangles").isPositive();
        waitForText(By.id("captions-position"), "Images 1–" + matching + " matching");
        assertThat(browser.findElements(By.cssSelector("article.caption-card"))).hasSize(matching)
                .allSatisfy(found -> assertThat(found.getText().toLowerCase()).contains("triangle"));
        search.clear();
        search.sendKeys(Keys.ENTER);

        new Select(browser.findElement(By.id("captioner"))).selectByValue(FAILING_CAPTIONER.toString());
        waitForText(By.id("captions-position"), "Images 1–8 of 12");
        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("article[data-image-id='img-3']"), "failed: DECODE"));
    }

    @Test
    void aSubmittedJobIsRefusedWithTheServersReasonThenRunsToTheEndWithItsLossCurve() throws Exception {
        signIn(TestApiKeys.OPERATOR);
        browser.get(url("/console/index.html#/jobs"));
        new Select(waitFor(By.id("job-kind"))).selectByValue("EVALUATE");
        WebElement spec = browser.findElement(By.id("job-spec"));
        spec.clear();
        spec.sendKeys("{}");
        browser.findElement(By.cssSelector("#submit-job button[type=submit]")).click();
        waitForText(By.cssSelector("#submit-status [role=alert]"), "spec.model");

        spec.clear();
        spec.sendKeys("{\"model\": \"" + CAPTIONER + "\"}");
        WebElement params = browser.findElement(By.id("job-params"));
        params.clear();
        params.sendKeys("{\"simulate\": true, \"steps\": 20, \"stepMillis\": 100}");
        browser.findElement(By.cssSelector("#submit-job button[type=submit]")).click();

        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.urlMatches("#/jobs/[^/]+$"));
        String jobId = browser.getCurrentUrl().replaceAll(".*#/jobs/", "");
        // A sample grid as a trainer writes one into the job's checkpoint directory while it runs.
        Path grid = store().resolve("checkpoints/" + jobId + "/samples-step-00000010.png");
        Files.createDirectories(grid.getParent());
        ImageIO.write(SceneRenderer.render(SceneGenerator.generate(7, 1), 128), "png", grid.toFile());
        WebElement cancel = waitFor(By.id("cancel-job"));
        new WebDriverWait(browser, PATIENCE).until(driver -> "SUCCEEDED".equals(
                driver.findElement(By.id("job")).getDomAttribute("data-job-state")));
        assertThat(cancel.isDisplayed()).as("a finished job cannot be cancelled").isFalse();

        JsonNode job = getJson("/jobs/" + jobId);
        JsonNode losses = getJson("/jobs/" + jobId + "/losses");
        assertThat(losses.size()).isGreaterThan(1);
        assertThat(losses.get(losses.size() - 1).get("step").asLong()).isEqualTo(20);
        WebElement curve = waitFor(By.id("loss-curve"));
        assertThat(curve.getDomAttribute("data-points")).isEqualTo(Integer.toString(losses.size()));
        assertThat(curve.getDomAttribute("aria-label")).endsWith("at step 20");
        assertThat(browser.findElement(By.id("job-facts")).getText()).contains("20 / 20", "EVALUATE");
        assertThat(browser.findElement(By.id("attempts")).getText()).contains("SUCCEEDED");
        WebElement figure = waitFor(By.cssSelector("#job-images figure[data-name='samples-step-00000010.png']"));
        assertThat(figure.getText()).isEqualTo("samples at step 10");
        new WebDriverWait(browser, PATIENCE).until(driver -> ((Number) ((JavascriptExecutor) driver).executeScript(
                "return arguments[0].naturalWidth", figure.findElement(By.tagName("img")))).intValue() == 128);
        assertThat(browser.findElement(By.id("log-tail")).getText())
                .contains(job.get("logTail").get(job.get("logTail").size() - 1).asString());
        screenshot("job");

        browser.findElement(By.linkText("Jobs")).click();
        WebElement row = waitFor(By.xpath("//table[@id='jobs']//tr[td/a[text()='" + jobId + "']]"));
        assertThat(row.getText()).contains("EVALUATE", "SUCCEEDED", "20 / 20");
        screenshot("jobs");
    }

    @Test
    void aRunningJobIsCancelledOnlyAfterConfirmationAndItsPageSaysSo() throws Exception {
        String jobId = submit("{\"kind\":\"EVALUATE\",\"spec\":{\"model\":\"" + CAPTIONER + "\"},"
                + "\"params\":{\"simulate\":true,\"steps\":100000,\"stepMillis\":20}}");
        signIn(TestApiKeys.OPERATOR);
        browser.get(url("/console/index.html#/jobs/" + jobId));
        new WebDriverWait(browser, PATIENCE).until(driver -> "RUNNING".equals(
                driver.findElement(By.id("job")).getDomAttribute("data-job-state")));

        waitFor(By.id("cancel-job")).click();
        waitFor(By.id("confirm-keep")).click();
        assertThat(getJson("/jobs/" + jobId).get("state").asString()).isEqualTo("RUNNING");

        browser.findElement(By.id("cancel-job")).click();
        waitFor(By.id("confirm-yes")).click();
        new WebDriverWait(browser, PATIENCE).until(driver -> "CANCELLED".equals(
                driver.findElement(By.id("job")).getDomAttribute("data-job-state")));
        assertThat(browser.findElement(By.id("job-facts")).getText()).contains("cancelled by request");
        assertThat(getJson("/jobs/" + jobId).get("state").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void aModelShowsItsLineageAndMetricsAndIsPromotedOnlyAfterConfirmation() throws Exception {
        signIn(TestApiKeys.ADMIN);
        browser.get(url("/console/index.html#/models/text-to-image"));
        waitFor(By.id("models"));
        screenshot("models");
        waitFor(By.linkText("text-to-image/console-sd/v1")).click();

        WebElement lineage = waitFor(By.id("lineage"));
        List<String> labels = new ArrayList<>();
        lineage.findElements(By.cssSelector("g.node")).forEach(node -> labels.add(node.getDomAttribute("data-label")));
        assertThat(labels).containsExactlyInAnyOrder("text-to-image/console-sd/v1", CAPTIONER.toString(),
                "shapes-human-100", CORPUS);
        assertThat(lineage.getText()).contains("captions SHORT 50 % / LONG 50 %", "human captions", "images of");
        assertThat(waitFor(By.id("model-metrics")).getText()).contains("fid 14.84", "objectAccuracy 0.8434");
        assertThat(waitFor(By.id("promoted-state")).getText()).isEqualTo("no");
        screenshot("model");

        waitFor(By.id("promote")).click();
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).as("focus on the safe choice")
                .isEqualTo("confirm-keep");
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
        assertThat(getJson("/models/text-to-image/console-sd/v1").get("promoted").asBoolean()).isFalse();

        browser.findElement(By.id("promote")).click();
        waitFor(By.id("confirm-yes")).click();
        waitForText(By.id("promote-status"), "Promoted at");
        assertThat(browser.findElement(By.id("promoted-state")).getText()).isEqualTo("yes, the current one");
        assertThat(getJson("/models/text-to-image/console-sd/v1").get("promoted").asBoolean()).isTrue();
        assertThat(browser.findElement(By.id("promote")).isDisplayed()).isFalse();
    }

    @Test
    void aViewerWhoTriesToPromoteIsToldTheRoleIsMissingAndNothingChanges() throws Exception {
        ModelRef model = TestModels.textToImage(models, "console-viewed", "v1", CORPUS, CAPTIONER);
        signIn(TestApiKeys.VIEWER);
        browser.get(url("/console/index.html#/models/" + model));
        waitFor(By.id("promote")).click();
        waitFor(By.id("confirm-yes")).click();
        waitForText(By.cssSelector("#promote-status [role=alert]"), "needs a role this caller does not have");
        assertThat(browser.findElement(By.id("promoted-state")).getText()).isEqualTo("no");
        assertThat(getJson("/models/" + model).get("promoted").asBoolean()).isFalse();
    }

    @Test
    void twoModelsAreComparedWithEachCategorysDifferenceAndItsIntervalAsTheApiComputesThem() throws Exception {
        ModelRef alt = TestModels.textToImage(models, "console-alt", "v1", CORPUS, null);
        ModelRef recap = ModelRef.textToImage("console-sd", "v1");
        evaluation(alt, 5);
        evaluation(recap, 15);
        JsonNode api = getJson("/models/comparison?baseline=" + alt + "&models=" + recap);
        JsonNode overall = api.get("models").get(1).get("differences").get("overall");
        assertThat(overall.get("low").asDouble()).as("a gain the evaluation resolves").isPositive();

        signIn(TestApiKeys.VIEWER);
        browser.get(url("/console/index.html#/models"));
        waitFor(By.id("compare-link")).click();
        new Select(waitFor(By.id("baseline"))).selectByValue(alt.toString());
        browser.findElement(By.cssSelector("#compare-form input[value='" + recap + "']")).click();
        browser.findElement(By.cssSelector("#compare-form button[type=submit]")).click();

        WebElement row = waitFor(By.cssSelector("table.differences[data-model='" + recap + "'] tr[data-metric='overall']"));
        assertThat(Double.parseDouble(row.getDomAttribute("data-estimate"))).isEqualTo(overall.get("estimate").asDouble());
        assertThat(row.getDomAttribute("class")).isEqualTo("difference-better");
        assertThat(browser.findElement(By.cssSelector("table.differences tr[data-metric='counting_error']"))
                .getDomAttribute("class")).as("fewer counting errors are the gain").isEqualTo("difference-better");
        WebElement count = browser.findElement(By.cssSelector("table.differences tr[data-metric='count']"));
        assertThat(count.getDomAttribute("class")).as("the same outcomes: no difference").isEqualTo("difference-unresolved");
        assertThat(browser.findElement(By.id("comparison-metrics")).getText()).contains(alt.toString(), recap.toString());
        assertThat(browser.getCurrentUrl()).as("a comparison can be linked").contains("#/compare?baseline=");
        screenshot("compare");
    }

    /** An evaluation record as EVALUATE writes it: {@code passes} of 20 images meet every category. */
    private void evaluation(ModelRef model, int passes) {
        List<TextToImageEvaluation.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boolean pass = i < passes;
            outcomes.add(new TextToImageEvaluation.Outcome(i / 2, pass, Map.of("colour", pass, "count", i % 2 == 0),
                    pass ? 0.0 : 1.0, pass ? 0.3 : 0.2));
        }
        List<EvaluationRecord.PromptText> prompts = IntStream.range(0, 10)
                .mapToObj(i -> new EvaluationRecord.PromptText(i, "prompt " + i, "short")).toList();
        TextToImageEvaluation.Settings settings = new TextToImageEvaluation.Settings(10, 2, 4, 3.0, 7, 1, 3,
                List.of(CaptionKind.SHORT), 200);
        blobs.put(EvaluationRecord.key(model, EvaluationRecord.FILE), Json.writePretty(new EvaluationRecord(model,
                settings, null, null, Map.of("overall", passes / 20.0), prompts, outcomes)));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Signs in through the login page, as a user does. */
    private void signIn(String key) {
        signOut();
        browser.get(url("/console/index.html#/login"));
        waitFor(By.id("api-key")).sendKeys(key, Keys.ENTER);
        waitFor(By.id("corpora"));
    }

    private void signOut() {
        browser.get(url("/console/index.html#/login"));
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    }

    private String storedKey() {
        return (String) ((JavascriptExecutor) browser)
                .executeScript("return sessionStorage.getItem('recap.console.apiKey')");
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private void waitForText(By locator, String text) {
        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    }

    private List<WebElement> rows(By locator) {
        return browser.findElements(locator);
    }

    private void screenshot(String page) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(page + ".png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
