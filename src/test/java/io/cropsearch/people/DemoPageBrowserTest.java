package io.cropsearch.people;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo page in a real browser (Debian's chromium, headless, through chromedriver; .ci/run installs both): create
 * a collection, enrol eight people from one photo each by choosing files, search another photo of one of them, and
 * read the ranked matches off the page; a photo search and a camera snapshot (chromium's synthetic camera) show the
 * API's error answers on the page. The records panel lists the function's own records of the collection, a search made
 * by another caller (not from the page) included. Screenshots go to target/screenshots/.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoPageBrowserTest {
    private static final Path PHOTOS = Path.of("src/test/resources/engine/eval/crops");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final List<String> PEOPLE = List.of("amy", "bernadette", "howard", "leonard", "penny", "raj",
            "sheldon", "stuart");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() throws IOException {
        File chromium = new File(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
        File driver = new File(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));
        assertTrue(chromium.canExecute() && driver.canExecute(), "the browser test needs Debian's chromium and "
                + "chromium-driver (" + chromium + ", " + driver + "): apt-get install -y chromium chromium-driver "
                + "(.ci/run does), or set CHROMIUM_BIN and CHROMEDRIVER_BIN");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // --no-sandbox: chromium refuses to run as root with its sandbox (CI containers run as root).
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,1500", "--lang=en",
                // A synthetic camera (a test pattern, no face) that needs no permission prompt.
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // The page replaces its lists on every answer: an element read mid-update is read again.
        wait = (WebDriverWait) new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void pageIsServedWithAStrictContentSecurityPolicy() {
        Response page = RestAssured.given().get("/");
        assertEquals(200, page.statusCode());
        String csp = page.header("Content-Security-Policy");
        assertTrue(csp != null && csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "strict CSP: " + csp);
        assertEquals(200, RestAssured.given().get("/demo/app.js").statusCode());
    }

    @Test
    @Order(2)
    void enrolSearchAndReadTheRankedMatches() throws IOException {
        browser.get("http://localhost:" + RestAssured.port + "/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#collection option")));

        String collectionName = "browser-" + System.currentTimeMillis();
        type("collection-name", collectionName);
        click("create-collection");
        waitForStatus("collection-status", "created \"" + collectionName + "\"");
        String selected = new Select(byId("collection")).getFirstSelectedOption().getText();
        assertTrue(selected.startsWith(collectionName), "the new collection is picked: " + selected);

        for (String person : PEOPLE) {
            type("person-name", person);
            byId("person-files").sendKeys(PHOTOS.resolve(person + "1.png").toAbsolutePath().toString());
            click("enrol");
            waitForStatus("enrol-status", "enrolled " + person + " ");
        }
        wait.until(d -> d.findElements(By.cssSelector("#persons li.person")).size() == PEOPLE.size());

        // A search the page did not make: another caller's, through the API. Its record is the function's, so the
        // page's records panel lists it once refreshed.
        String collectionId = new Select(byId("collection")).getFirstSelectedOption().getAttribute("value");
        RestAssured.given().header("Authorization", "Bearer another-caller").contentType("application/json")
                .body(Map.of("images", List.of(base64(PHOTOS.resolve("sheldon2.png"))), "collection_id", collectionId,
                        "min_score", 0.7, "search_mode", "FAST"))
                .post("/v2/face-recognition/search/crops").then().statusCode(200);
        click("refresh-records");
        wait.until(d -> recordRows().size() == 1);
        assertEquals("sheldon", recordCell(recordRows().get(0), "top-match"), "another caller's search, on the page");
        assertEquals("MATCHED", recordCell(recordRows().get(0), "status"));

        byId("probe-file").sendKeys(PHOTOS.resolve("amy3.png").toAbsolutePath().toString());
        new Select(byId("search-kind")).selectByValue("crops");
        type("min-score", "0.7");
        click("search");
        waitForStatus("search-status", "match(es) in");
        List<WebElement> matches = browser.findElements(By.cssSelector("#matches li.match"));
        assertFalse(matches.isEmpty(), "ranked matches on the page");
        WebElement first = matches.get(0);
        String firstName = first.findElement(By.className("name")).getText();
        double firstScore = Double.parseDouble(first.findElement(By.className("score")).getText());
        assertEquals("amy", firstName, "the person in amy3.png ranks first");
        assertTrue(firstScore > 0.7, "amy's score " + firstScore);
        for (WebElement match : matches) {
            assertEquals("amy", match.findElement(By.className("name")).getText(),
                    "no stranger at or above min_score 0.7");
        }
        assertTrue(first.findElement(By.tagName("img")).getAttribute("src").startsWith("data:image/jpeg;base64,"),
                "the match shows its thumbnail");
        screenshot("demo-search.png");

        byId("probe-file").sendKeys(PHOTOS.resolve("penny5.png").toAbsolutePath().toString());
        click("search");
        wait.until(d -> {
            List<WebElement> now = d.findElements(By.cssSelector("#matches li.match"));
            return !now.isEmpty() && now.get(0).getAttribute("data-name").equals("penny");
        });

        // The panel reloads after each search: the function's three records of this collection, newest first.
        wait.until(d -> recordRows().size() == 3 && "penny".equals(recordCell(recordRows().get(0), "top-match")));
        List<WebElement> records = recordRows();
        assertEquals(List.of("penny", "amy", "sheldon"), records.stream().map(r -> recordCell(r, "top-match")).toList(),
                "newest first: the page's two searches, then the other caller's");
        for (WebElement row : records) {
            assertEquals("MATCHED", recordCell(row, "status"), row.getText());
            assertEquals("HTTP", recordCell(row, "source"), row.getText());
            assertEquals("/search/crops", recordCell(row, "endpoint"), row.getText());
            assertTrue(Double.parseDouble(recordCell(row, "score")) > 0.7, row.getText());
            assertFalse(row.getAttribute("data-record-id").isEmpty(), row.getText());
        }
        assertEquals(firstScore, Double.parseDouble(recordCell(records.get(1), "score")), 1e-4,
                "amy's record holds the score the page showed");
        assertTrue(byId("records-status").getText().startsWith("3 record(s)"), byId("records-status").getText());
        screenshot("demo-records.png");
    }

    @Test
    @Order(3)
    void aPhotoSearchShowsTheAnswerOrTheErrorGracefully() throws IOException {
        byId("probe-file").sendKeys(PHOTOS.resolve("amy3.png").toAbsolutePath().toString());
        new Select(byId("search-kind")).selectByValue("photo");
        click("search");
        // Until the standard search (/search) is served, the page must say so instead of breaking; once it is, the
        // same person must rank first.
        wait.until(d -> {
            String status = d.findElement(By.id("search-status")).getText();
            return status.startsWith("HTTP ") || status.contains("match(es) in");
        });
        String status = byId("search-status").getText();
        if (status.startsWith("HTTP ")) {
            assertTrue(status.startsWith("HTTP 404"), status);
            assertTrue(byId("search-status").getAttribute("class").contains("error"), "shown as an error");
        } else {
            assertEquals("amy", browser.findElements(By.cssSelector("#matches li.match")).get(0).getAttribute("data-name"));
        }
        screenshot("demo-photo-search.png");
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            assertFalse(entry.getMessage().contains("Content Security Policy"), "CSP violation: " + entry.getMessage());
        }
    }

    @Test
    @Order(4)
    void aCameraSnapshotIsEnrolledThroughTheSameApi() {
        click("camera-start");
        waitForStatus("camera-status", "camera on");
        wait.until(d -> ((Number) ((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.getElementById('camera').videoWidth")).intValue() > 0);
        click("camera-enrol");
        waitForStatus("camera-status", "snapshot added to the next enrolment");
        type("person-name", "camera");
        click("enrol");
        // The fake camera shows a test pattern: the engine finds no face, and the page shows the API's answer.
        wait.until(d -> d.findElement(By.id("enrol-status")).getAttribute("class").contains("error"));
        String status = byId("enrol-status").getText();
        assertTrue(status.startsWith("HTTP 409 NoFaceDetected") && status.contains("\"images[0]\""), status);
        click("camera-stop");
    }

    private static List<WebElement> recordRows() {
        return browser.findElements(By.cssSelector("#records tbody tr.record"));
    }

    private static String recordCell(WebElement row, String column) {
        return row.findElement(By.className(column)).getText();
    }

    private static String base64(Path file) throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    private static WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private static void type(String id, String text) {
        WebElement input = byId(id);
        input.clear();
        input.sendKeys(text);
    }

    private static void click(String id) {
        byId(id).click();
    }

    private static void waitForStatus(String id, String expected) {
        wait.until(d -> {
            String text = d.findElement(By.id(id)).getText();
            if (d.findElement(By.id(id)).getAttribute("class").contains("error")) {
                throw new AssertionError(id + ": " + text);
            }
            return text.contains(expected);
        });
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
