package dev.keygate.server;

import static dev.keygate.server.DashboardClient.PASSWORD;
import static dev.keygate.server.DashboardClient.newEmail;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.poll;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Rotation end to end in a real browser (issue 5's "Done when"): Debian's {@code chromium},
 * headless, through Selenium, against a server that mails over SMTP to GreenMail. A merchant signs
 * up, rotates the secret key with a 1-hour grace period, reads the code from the SMTP server,
 * enters it, sees the new key once, and calls the API with both keys.
 *
 * <p>Skipped without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}, unless
 * {@code KEYGATE_REQUIRE_SERVICES=1}, as {@link DashboardBrowserTest}.
 */
class RotationBrowserTest {

    private static final Duration MAIL_WAIT = Duration.ofSeconds(15);
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");
    private static final java.util.logging.Logger CHROMIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.chromium");

    private static SmtpTestServer server;
    private static ChromeDriverService service;
    private static ChromeDriver driver;
    private static Path profile;

    @BeforeAll
    static void startBrowser() throws IOException {
        boolean installed = Files.isExecutable(DashboardBrowserTest.CHROMIUM)
                && Files.isExecutable(DashboardBrowserTest.CHROMEDRIVER);
        if (!installed) {
            String missing = DashboardBrowserTest.CHROMIUM + " and " + DashboardBrowserTest.CHROMEDRIVER
                    + " (Debian's chromium and chromium-driver)";
            if ("1".equals(System.getenv("KEYGATE_REQUIRE_SERVICES"))) {
                throw new AssertionError("Browser tests need " + missing + " (KEYGATE_REQUIRE_SERVICES=1)");
            }
            Assumptions.abort("Browser tests skipped: install " + missing);
        }
        CDP_LOG.setLevel(Level.SEVERE);
        CHROMIUM_LOG.setLevel(Level.SEVERE);
        server = SmtpTestServer.start();
        profile = Files.createTempDirectory("keygate-chromium-");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DashboardBrowserTest.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File("target/chromedriver-rotation.log"))
                .build();
        driver = new ChromeDriver(service, DashboardBrowserTest.chromiumOptions(profile));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopBrowser() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            if (server != null) {
                server.close();
            }
            if (profile != null) {
                TestServer.deleteRecursively(profile);
            }
        }
    }

    @Test
    void merchantRotatesTheSecretKeyWithTheCodeFromSmtpAndBothKeysWorkTheOldOneWithSunset() {
        String email = signUp("Rotating Shop");
        String old = driver.findElements(By.cssSelector(".key-value")).get(0).getDomProperty("value");
        assertThat(old).startsWith("sk_test_");

        // From the keys list to the rotation form; 1 hour of grace.
        open("/dashboard/keys");
        navigate(row("Secret key").findElement(By.linkText("Rotate")));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Rotate Secret key");
        assertThat(driver.findElements(By.cssSelector("input[name=grace]"))).extracting(input -> input.getDomProperty("value"))
                .containsExactly("now", "1h", "24h", "3d", "7d");
        driver.findElement(By.cssSelector("input[name=grace][value='1h']")).click();
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));
        assertThat(driver.getCurrentUrl()).matches(".*/dashboard/rotations/rot_[0-9A-Za-z]{16}");
        assertThat(driver.findElement(By.tagName("body")).getText()).contains(email).contains("1 hour");

        // The code, from the SMTP server.
        List<SmtpTestServer.Received> mails = poll(MAIL_WAIT, () -> server.received(email).stream()
                .filter(mail -> mail.subject().startsWith(RotationPages.CODE_SUBJECT)).toList(), found -> !found.isEmpty());
        assertThat(mails).as("code mails to %s", email).isNotEmpty();
        String code = RotationPages.code(mails.get(0).text());
        assertThat(driver.getPageSource()).doesNotContain(code);
        Instant confirmedAt = server.now();
        driver.findElement(By.name("code")).sendKeys(code);
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));

        // The new key, shown once.
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Your new key");
        List<WebElement> shown = driver.findElements(By.cssSelector(".key-value"));
        assertThat(shown).hasSize(1);
        String fresh = shown.get(0).getDomProperty("value");
        assertThat(fresh).startsWith("sk_test_").hasSize(ApiKey.LENGTH).isNotEqualTo(old);
        assertThat(driver.findElement(By.cssSelector(".notice.success")).getText()).contains("keeps working until");
        open("/dashboard/keys");
        assertThat(driver.getPageSource()).doesNotContain(fresh).doesNotContain(old).doesNotContain(code);
        assertThat(driver.findElements(By.cssSelector("tr.key-row"))).hasSize(3);

        // Both keys over HTTPS; the old one announces its end.
        HttpResponse<String> withFresh = server.ping(fresh);
        assertThat(withFresh.statusCode()).isEqualTo(200);
        assertThat(header(withFresh, "Sunset")).isEmpty();
        HttpResponse<String> withOld = server.ping(old);
        assertThat(withOld.statusCode()).isEqualTo(200);
        assertThat(header(withOld, "Sunset")).contains(HTTP_DATE.format(confirmedAt.plus(Duration.ofHours(1))));
        assertThat(new JsonObject(withOld.body()).getString("key_type")).isEqualTo("secret");
        assertThat(new JsonObject(withFresh.body()).getString("key_id"))
                .isNotEqualTo(new JsonObject(withOld.body()).getString("key_id"));

        server.clock().advance(Duration.ofHours(1).plusSeconds(1));
        problem(server.ping(old), 401, "api_key_expired");
        assertThat(server.ping(fresh).statusCode()).isEqualTo(200);
    }

    /**
     * Found by issue 20: at 1366 px, a row with both the "exposed" and "rotated" flags pushed the
     * keys table past its box, and Delete out of sight.
     */
    @Test
    void keysTableAt1366WhenRowExposedAndRotatedThenItsDeleteIsOnScreen() {
        String email = signUp("Wide Screens Trading Company");
        String secret = driver.findElements(By.cssSelector(".key-value")).get(0).getDomProperty("value");
        problem(server.ping(secret, "Origin", "https://shop.example"), 403, "secret_key_in_browser");

        // Rotated with a week of grace: the old key stays listed, flagged both ways.
        open("/dashboard/keys");
        navigate(row("Secret key").findElement(By.linkText("Rotate")));
        driver.findElement(By.cssSelector("input[name=grace][value='7d']")).click();
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));
        List<SmtpTestServer.Received> mails = poll(MAIL_WAIT, () -> server.received(email).stream()
                .filter(mail -> mail.subject().startsWith(RotationPages.CODE_SUBJECT)).toList(), found -> !found.isEmpty());
        assertThat(mails).as("code mails to %s", email).isNotEmpty();
        driver.findElement(By.name("code")).sendKeys(RotationPages.code(mails.get(0).text()));
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Your new key");

        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of(
                "width", 1366, "height", 768, "deviceScaleFactor", 1, "mobile", false));
        try {
            WebElement flagged = poll(MAIL_WAIT, () -> {
                open("/dashboard/keys");
                return driver.findElements(By.cssSelector("tr.key-row")).stream()
                        .filter(row -> !row.findElements(By.cssSelector(".flag.exposed")).isEmpty())
                        .filter(row -> !row.findElements(By.cssSelector(".flag.rotated")).isEmpty())
                        .findFirst().orElse(null);
            }, row -> row != null);
            assertThat(flagged).as("a row flagged exposed and rotated").isNotNull();
            assertThat(js("return window.innerWidth")).isEqualTo(1366L);

            WebElement delete = flagged.findElement(By.linkText("Delete"));
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> box = (java.util.Map<String, Object>) ((JavascriptExecutor) driver)
                    .executeScript("""
                            const d = arguments[0].getBoundingClientRect();
                            const wrap = document.querySelector('.table-wrap');
                            const w = wrap.getBoundingClientRect();
                            return {left: d.left, right: d.right, top: d.top, bottom: d.bottom,
                                    wrapLeft: w.left, wrapRight: w.right, viewport: document.documentElement.clientWidth,
                                    scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth};""", delete);
            double right = ((Number) box.get("right")).doubleValue();
            assertThat(((Number) box.get("left")).doubleValue()).as("Delete's left edge").isGreaterThanOrEqualTo(0);
            assertThat(right).as("Delete's right edge within the viewport")
                    .isLessThanOrEqualTo(((Number) box.get("viewport")).doubleValue());
            assertThat(right).as("Delete's right edge within the table's box, not scrolled out of it")
                    .isLessThanOrEqualTo(((Number) box.get("wrapRight")).doubleValue());
            assertThat(((Number) box.get("scrollWidth")).longValue()).as("the table needs no sideways scrolling")
                    .isLessThanOrEqualTo(((Number) box.get("clientWidth")).longValue());
            assertThat(delete.isDisplayed()).isTrue();
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
        }
    }

    // ---- steps ----

    /** Clicks a link or button and waits until the next page has replaced this one and loaded. */
    /**
     * Signs up as a merchant does: the form, then the mailed link; ends on the page of the first
     * keys. Returns the account's email.
     */
    private static String signUp(String name) {
        String email = newEmail();
        open("/dashboard/signup");
        driver.findElement(By.name("name")).sendKeys(name);
        driver.findElement(By.name("email")).sendKeys(email);
        driver.findElement(By.name("password")).sendKeys(PASSWORD);
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Check your mail");
        String link = server.verificationLink(email);
        open(link.substring(link.indexOf("/dashboard/")));
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));
        return email;
    }

    private static void navigate(WebElement target) {
        js("window.keygateOldPage = true");
        target.click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(WebDriverException.class)
                .until(page -> Boolean.TRUE.equals(
                        js("return window.keygateOldPage === undefined && document.readyState === 'complete'")));
    }

    private static void open(String path) {
        driver.get(server.base() + path);
    }

    private static WebElement row(String name) {
        List<WebElement> rows = driver.findElements(By.cssSelector("tr.key-row")).stream()
                .filter(row -> row.findElement(By.tagName("td")).getText().strip().equals(name))
                .toList();
        assertThat(rows).as("rows named %s", name).hasSize(1);
        return rows.get(0);
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }
}
