package dev.keygate.server;

import static dev.keygate.server.DashboardClient.PASSWORD;
import static dev.keygate.server.DashboardClient.newEmail;
import static dev.keygate.server.testing.TestServer.bearer;
import static dev.keygate.server.testing.TestServer.poll;
import static dev.keygate.server.testing.TestServer.problem;
import static dev.keygate.server.testing.TestServer.requestId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.server.http.ClientAddress;
import dev.keygate.server.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (the "Done when"): Debian's {@code chromium}, headless,
 * driven through Debian's {@code chromium-driver} by Selenium, against a {@link TestServer}. A
 * merchant signs up, verifies the email from the outbox, creates a key and sees it once, deletes
 * it, switches to live and watches the request log fill after API calls.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the tests are skipped,
 * unless {@code KEYGATE_REQUIRE_SERVICES=1} (as in CI, whose {@code .ci/run} installs both), where
 * they fail. Nothing is downloaded: the driver's path is given, so Selenium Manager never runs.
 *
 * <p>The keys page's screenshot, at 1366×768, goes to {@code target/screenshots/dashboard-keys.png};
 * only when run with {@code -Dkeygate.screenshots=../docs} (a directory, relative to
 * {@code keygate-server/}) is it also written there, refreshing the README's {@code docs/dashboard-keys.png}.
 */
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** The size of the README's screenshot. */
    private static final int SCREENSHOT_WIDTH = 1366;
    private static final int SCREENSHOT_HEIGHT = 768;

    private static TestServer server;
    private static ChromeDriverService service;
    private static ChromeDriver driver;
    private static Path profile;
    /** Held so that the level sticks: Selenium warns that it has no CDP classes for this Chromium, which these tests do not use. */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");
    private static final java.util.logging.Logger CHROMIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.chromium");

    @BeforeAll
    static void startBrowser() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            String missing = CHROMIUM + " and " + CHROMEDRIVER + " (Debian's chromium and chromium-driver)";
            if ("1".equals(System.getenv("KEYGATE_REQUIRE_SERVICES"))) {
                throw new AssertionError("Browser tests need " + missing + " (KEYGATE_REQUIRE_SERVICES=1)");
            }
            Assumptions.abort("Browser tests skipped: install " + missing);
        }
        CDP_LOG.setLevel(Level.SEVERE);
        CHROMIUM_LOG.setLevel(Level.SEVERE);
        server = TestServer.start();
        profile = Files.createTempDirectory("keygate-chromium-");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log"))
                .build();
        driver = new ChromeDriver(service, chromiumOptions(profile));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    }

    /** Debian's chromium, headless, offline, on a fresh profile; shared by the browser tests. */
    static ChromeOptions chromiumOptions(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-proxy-server", "--window-size=1280,800", "--user-data-dir=" + profile);
        // The test server's certificate is self-signed (generated into its data directory on first
        // start), so no browser trusts it: accept it here, in tests only. The API clients of these
        // tests trust exactly that certificate instead (TestServer.sslContext()).
        options.setAcceptInsecureCerts(true);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        return options;
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

    @BeforeEach
    void freshBrowser() {
        open("/dashboard/login");
        driver.manage().deleteAllCookies();
        driver.manage().window().setSize(new Dimension(1280, 800));
    }

    @Test
    void merchantSignsUpVerifiesEmailManagesKeysAndWatchesRequests() throws IOException {
        // This test's server is its own and the address is shown in the README's screenshot.
        String email = "finance@acme.example";

        // Sign up: the first keys, the secret one shown once.
        signUp("Acme Payments", email);
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Your first keys");
        List<WebElement> shown = driver.findElements(By.cssSelector(".key-value"));
        assertThat(shown).hasSize(2);
        String secret = shown.get(0).getDomProperty("value");
        String publishable = shown.get(1).getDomProperty("value");
        assertThat(secret).startsWith("sk_test_").hasSize(ApiKey.LENGTH);
        assertThat(publishable).startsWith("pk_test_").hasSize(ApiKey.LENGTH);
        assertThat(text(".reveal .warning")).contains("shown once");
        // dashboard.js (allowed by the page's CSP) shows the copy buttons where the clipboard API exists.
        if (Boolean.TRUE.equals(js("return !!navigator.clipboard"))) {
            assertThat(driver.findElements(By.cssSelector(".copy-button"))).hasSize(2)
                    .allSatisfy(button -> assertThat(button.isDisplayed()).isTrue());
        }
        assertThat(driver.findElement(By.cssSelector(".test-banner")).isDisplayed()).isTrue();
        // The first call within a minute: the key works at once.
        assertThat(server.ping(ApiKey.parse(secret)).statusCode()).isEqualTo(200);

        // A few minutes later (the clock is the server's). The mailed link verified the email too;
        // that it works once is SignUpTest's (a refused link would be a console error here).
        server.clock().advance(Duration.ofMinutes(3));

        // The keys page lists both, masked; the secret's value is nowhere in it.
        open("/dashboard/keys");
        List<WebElement> rows = driver.findElements(By.cssSelector("tr.key-row"));
        assertThat(rows).hasSize(2);
        assertThat(rows).extracting(row -> row.findElement(By.tagName("code")).getText())
                .containsExactlyInAnyOrder(ApiKey.mask(secret), ApiKey.mask(publishable));
        assertThat(driver.getPageSource()).doesNotContain(secret);

        // The publishable key can be shown again any time.
        navigate(row("Publishable key").findElement(By.linkText("Reveal")));
        assertThat(driver.findElement(By.cssSelector(".key-value")).getDomProperty("value")).isEqualTo(publishable);
        open("/dashboard/keys");

        // Create a secret key: shown once, with a warning.
        server.clock().advance(Duration.ofMinutes(6));
        String backend = createKey("secret", "Backend");
        assertThat(backend).startsWith("sk_test_");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Your new key");
        assertThat(text(".reveal .warning")).contains("once");
        assertThat(server.ping(ApiKey.parse(backend)).statusCode()).isEqualTo(200);
        open("/dashboard/keys");
        assertThat(driver.getPageSource()).doesNotContain(backend).doesNotContain(secret);
        assertThat(row("Backend").findElement(By.tagName("code")).getText()).isEqualTo(ApiKey.mask(backend));

        // Delete it, through the confirmation step.
        navigate(row("Backend").findElement(By.linkText("Delete")));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Delete Backend?");
        assertThat(driver.getCurrentUrl()).endsWith("/delete");
        navigate(driver.findElement(By.cssSelector("button.danger-button")));
        // Said as a success, not in the red box of a refusal.
        WebElement said = driver.findElement(By.cssSelector(".notice"));
        assertThat(said.getText()).contains("deleted");
        assertThat(said.getAttribute("class")).contains("success");
        assertThat(said.getAttribute("role")).isEqualTo("status");
        assertThat(said.getCssValue("background-color")).isEqualTo("rgba(231, 246, 236, 1)");
        WebElement deleted = row("Backend");
        assertThat(deleted.getAttribute("class")).contains("deleted");
        assertThat(deleted.findElement(By.cssSelector(".status")).getText()).isEqualTo("revoked");
        assertThat(deleted.findElements(By.linkText("Delete"))).isEmpty();
        problem(server.ping(ApiKey.parse(backend)), 401, "invalid_api_key");

        // Switch to live: the banner says so; a live key can be created now the email is verified.
        server.clock().advance(Duration.ofMinutes(4));
        navigate(driver.findElement(By.cssSelector("form.switch button")));
        WebElement banner = driver.findElement(By.cssSelector(".live-banner"));
        assertThat(banner.isDisplayed()).isTrue();
        assertThat(banner.getText()).contains("live");
        assertThat(driver.findElement(By.tagName("body")).getAttribute("class")).contains("live");
        assertThat(driver.findElements(By.cssSelector("tr.key-row"))).isEmpty();
        String live = createKey("secret", "Live backend");
        assertThat(live).startsWith("sk_live_");
        assertThat(driver.findElement(By.cssSelector(".live-banner")).isDisplayed()).isTrue();

        // Use it over the API; the request log shows the calls within a few seconds.
        ApiKey liveKey = ApiKey.parse(live);
        List<String> okIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ping = server.ping(liveKey);
            assertThat(ping.statusCode()).isEqualTo(200);
            okIds.add(requestId(ping));
        }
        HttpResponse<String> missing = server.get("/api/v1/payments/pay_live_0000000000000000", "Authorization",
                bearer(liveKey));
        problem(missing, 404, "resource_missing");
        String missingId = requestId(missing);
        HttpResponse<String> fromBrowser = server.ping(liveKey, "Origin", "https://shop.example");
        problem(fromBrowser, 403, "secret_key_in_browser");
        String exposedId = requestId(fromBrowser);

        List<WebElement> requests = poll(WAIT, () -> {
            open("/dashboard/requests");
            return driver.findElements(By.cssSelector("tr.request-row"));
        }, found -> found.size() >= 5);
        assertThat(requests).hasSize(5);
        List<List<String>> cells = requests.stream().map(DashboardBrowserTest::cells).toList();
        String liveKeyId = cells.get(0).get(1);
        assertThat(liveKeyId).matches("key_[0-9A-Za-z]{16}");
        assertThat(cells).allSatisfy(row -> {
            assertThat(row.get(1)).isEqualTo(liveKeyId);
            assertThat(row.get(2)).isEqualTo("GET");
            assertThat(row.get(5)).isNotBlank().isEqualTo(ClientAddress.format(row.get(5)));
        });
        assertThat(cells).extracting(row -> row.get(6)).containsExactlyInAnyOrder(okIds.get(0), okIds.get(1),
                okIds.get(2), missingId, exposedId);
        assertThat(cells).filteredOn(row -> okIds.contains(row.get(6)))
                .allSatisfy(row -> assertThat(row.subList(3, 5)).containsExactly("/api/v1/ping", "200"));
        assertThat(cells).filteredOn(row -> row.get(6).equals(missingId)).singleElement().satisfies(row ->
                assertThat(row.subList(3, 5)).containsExactly("/api/v1/payments/pay_live_0000000000000000", "404"));

        navigate(driver.findElement(By.linkText("4xx")));
        assertThat(driver.getCurrentUrl()).endsWith("/dashboard/requests?status=4xx");
        assertThat(driver.findElements(By.cssSelector("tr.request-row"))).extracting(row -> cells(row).get(6))
                .containsExactlyInAnyOrder(missingId, exposedId);
        navigate(driver.findElement(By.linkText("2xx")));
        assertThat(driver.findElements(By.cssSelector("tr.request-row"))).extracting(row -> cells(row).get(6))
                .containsExactlyInAnyOrderElementsOf(okIds);
        navigate(driver.findElement(By.linkText("5xx")));
        assertThat(driver.findElements(By.cssSelector("tr.request-row"))).isEmpty();
        navigate(driver.findElement(By.linkText("all")));
        assertThat(driver.findElements(By.cssSelector("tr.request-row"))).hasSize(5);

        // The secret key sent by a browser is flagged as exposed in the list.
        WebElement exposed = poll(WAIT, () -> {
            open("/dashboard/keys");
            return row("Live backend");
        }, row -> !row.findElements(By.cssSelector(".flag.exposed")).isEmpty());
        assertThat(exposed.findElements(By.cssSelector(".flag.exposed"))).hasSize(1);

        // Log out and in again through the forms.
        navigate(driver.findElement(By.cssSelector("form.logout button")));
        assertThat(driver.getCurrentUrl()).contains("/dashboard/login");
        open("/dashboard/keys");
        assertThat(driver.getCurrentUrl()).endsWith("/dashboard/login");
        logIn(email, PASSWORD);
        assertThat(driver.getCurrentUrl()).endsWith("/dashboard/keys");

        // The audit log has every key operation and the login.
        open("/dashboard/audit");
        List<List<String>> events = driver.findElements(By.cssSelector("tr.audit-row")).stream()
                .map(DashboardBrowserTest::cells).toList();
        assertThat(events).extracting(event -> event.get(2))
                .contains("account.created", "email.verified", "key.created", "key.deleted", "login.succeeded");
        assertThat(events).filteredOn(event -> event.get(2).startsWith("key.") || event.get(2).startsWith("login."))
                .allSatisfy(event -> {
                    assertThat(event.get(1)).isEqualTo(email);
                    assertThat(event.get(4)).isNotBlank().isNotEqualTo("-");
                    // Written as the request log writes addresses: ::1, never 0:0:0:0:0:0:0:1 (issue 20).
                    assertThat(event.get(4)).isEqualTo(ClientAddress.format(event.get(4)))
                            .doesNotContain("0:0:0:0");
                });
        assertThat(events).filteredOn(event -> event.get(2).equals("key.created")).hasSize(4);
        assertThat(events).filteredOn(event -> event.get(2).equals("key.deleted")).singleElement()
                .satisfies(event -> assertThat(event.get(3)).matches("key_[0-9A-Za-z]{16}"));

        // The keys page for the README: test mode (where a new login starts), after the first key was used.
        open("/dashboard/keys");
        assertThat(driver.findElement(By.cssSelector(".test-banner")).isDisplayed()).isTrue();
        poll(Duration.ofSeconds(7), () -> {
            open("/dashboard/keys");
            return cells(row("Secret key"));
        }, row -> !row.get(4).equals("never"));
        assertThat(driver.getPageSource()).doesNotContain(secret).doesNotContain(backend).doesNotContain(live);
        assertThat(browserErrors()).as("console errors, such as content refused by the CSP").isEmpty();
        // At the width of the most common laptop screen, where the keys table must fit (issue 20).
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", SCREENSHOT_WIDTH, "height", SCREENSHOT_HEIGHT, "deviceScaleFactor", 1, "mobile", false));
        try {
            assertThat(js("return window.innerWidth")).isEqualTo((long) SCREENSHOT_WIDTH);
            assertNoHorizontalPageScroll("the keys page at " + SCREENSHOT_WIDTH + " px");
            screenshot("dashboard-keys.png");
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Test
    void ownerChangesPasswordFromTheTopBarThenNewOneLogsIn() {
        String email = newEmail();
        String newPassword = "another long dashboard password";
        signUp("Password Shop", email);
        open("/dashboard/keys");
        navigate(driver.findElement(By.cssSelector(".topbar nav a[href='/dashboard/password']")));
        assertThat(text("h1")).isEqualTo("Change your password");

        changePassword("not my password", newPassword, newPassword);
        assertThat(text("#current-error")).isEqualTo("This is not your current password.");
        // The refusal's own status is the only error the browser reports (reading the log empties it).
        assertThat(browserErrors()).singleElement().asString().contains("/dashboard/password", "403");

        changePassword(PASSWORD, newPassword, newPassword);
        assertThat(text(".notice.success")).startsWith("Your password is changed.");
        assertThat(browserErrors()).as("console errors, such as content refused by the CSP").isEmpty();

        navigate(driver.findElement(By.cssSelector("form.logout button")));
        logIn(email, newPassword);
        assertThat(driver.getCurrentUrl()).endsWith("/dashboard/keys");
    }

    @Test
    void pagesWhenPhoneWidthThenNoHorizontalPageScroll() {
        String email = newEmail();
        signUp("Narrow Screens Ltd", email);
        Object overridden = driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", 375, "height", 740, "deviceScaleFactor", 1, "mobile", true));
        assertThat(overridden).isNotNull();
        try {
            for (String page : List.of("/dashboard/keys", "/dashboard/requests", "/dashboard/audit")) {
                open(page);
                assertThat(js("return window.innerWidth")).isEqualTo(375L);
                assertNoHorizontalPageScroll(page);
                // The tables scroll inside their own box instead.
                assertThat(js("return getComputedStyle(document.querySelector('.table-wrap')).overflowX"))
                        .isEqualTo("auto");
            }
            open("/dashboard/password");
            assertNoHorizontalPageScroll("/dashboard/password");
            open("/dashboard/keys");
            createKey("public", "Mobile app");
            assertNoHorizontalPageScroll("the new key page");
            navigate(driver.findElement(By.cssSelector("form.logout button")));
            for (String page : List.of("/dashboard/login", "/dashboard/signup")) {
                open(page);
                assertNoHorizontalPageScroll(page);
            }
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    // ---- steps ----

    /** Fills in the sign-up form, then follows the link mailed to the outbox, as the owner does. */
    private static void signUp(String name, String email) {
        open("/dashboard/signup");
        driver.findElement(By.name("name")).sendKeys(name);
        driver.findElement(By.name("email")).sendKeys(email);
        driver.findElement(By.name("password")).sendKeys(PASSWORD);
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Check your mail");
        followLink(Outbox.verificationLink(server.dataDir(), email));
    }

    /** Opens a mailed verification link and presses its button. */
    private static void followLink(String link) {
        open(pathOf(link));
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));
    }

    private static void logIn(String email, String password) {
        open("/dashboard/login");
        driver.findElement(By.name("email")).sendKeys(email);
        driver.findElement(By.name("password")).sendKeys(password);
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));
    }

    /** Fills in the password page's form and submits it. */
    private static void changePassword(String current, String next, String confirmation) {
        driver.findElement(By.name("current")).sendKeys(current);
        driver.findElement(By.name("password")).sendKeys(next);
        driver.findElement(By.name("confirmation")).sendKeys(confirmation);
        navigate(driver.findElement(By.cssSelector("form.stacked button[type=submit]")));
    }

    /** Fills in the keys page's form; returns the value shown once. */
    private static String createKey(String type, String name) {
        new Select(driver.findElement(By.cssSelector("form.create select[name=type]"))).selectByValue(type);
        WebElement nameField = driver.findElement(By.cssSelector("form.create input[name=name]"));
        nameField.clear();
        nameField.sendKeys(name);
        navigate(driver.findElement(By.cssSelector("form.create button[type=submit]")));
        List<WebElement> shown = driver.findElements(By.cssSelector(".key-value"));
        assertThat(shown).as("keys shown after creating %s", name).hasSize(1);
        return shown.get(0).getDomProperty("value");
    }

    /**
     * Clicks a link or submit button and waits for the next page: until the old page is gone and
     * the new one has loaded (a click returns before the navigation it starts has finished).
     */
    private static void navigate(WebElement target) {
        // A mark on the old page's window: a new document comes with a new window object, without it.
        js("window.keygateOldPage = true");
        target.click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(WebDriverException.class) // scripts may fail while the next page replaces this one
                .until(page -> Boolean.TRUE.equals(
                        js("return window.keygateOldPage === undefined && document.readyState === 'complete'")));
    }

    // ---- reading pages ----

    private static void open(String path) {
        driver.get("https://localhost:" + server.keygate().httpsPort() + path);
    }

    private static String pathOf(String link) {
        return link.substring(link.indexOf("/dashboard/"));
    }

    private static String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** The keys table's row named {@code name} (and of {@code type}, if given). */
    private static WebElement row(String name, String... type) {
        List<WebElement> rows = driver.findElements(By.cssSelector("tr.key-row")).stream()
                .filter(row -> cells(row).get(0).equals(name))
                .filter(row -> type.length == 0 || cells(row).get(1).equals(type[0]))
                .toList();
        assertThat(rows).as("rows named %s", name).hasSize(1);
        return rows.get(0);
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(WebElement::getText).map(String::strip).toList();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Severe messages of the browser's console since the last call (CSP refusals are among them). */
    private static List<String> browserErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // The browser asks for /favicon.ico on its own; the pages do not link one.
                .filter(message -> !message.contains("/favicon.ico "))
                .toList();
    }

    private static void assertNoHorizontalPageScroll(String page) {
        Object overflow = js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(((Number) overflow).longValue()).as("horizontal page scroll on %s, in px", page).isLessThanOrEqualTo(0);
    }

    private static void screenshot(String name) throws IOException {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Path target = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
        Files.write(target, png);
        Optional.ofNullable(System.getProperty("keygate.screenshots")).filter(dir -> !dir.isBlank())
                .ifPresent(dir -> {
                    try {
                        Files.write(Files.createDirectories(Path.of(dir)).resolve(name), png);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }
}
