package dev.keygate.server;

import static dev.keygate.server.DashboardClient.PASSWORD;
import static dev.keygate.server.DashboardClient.keyValue;
import static dev.keygate.server.DashboardClient.newEmail;
import static dev.keygate.server.dashboard.Cookies.CSRF_COOKIE;
import static dev.keygate.server.dashboard.Cookies.SESSION_COOKIE;
import static dev.keygate.server.testing.TestServer.CHALLENGE;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.poll;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.Ids;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.dashboard.EmailVerifications;
import dev.keygate.core.dashboard.LoginThrottle;
import dev.keygate.core.dashboard.Logins;
import dev.keygate.core.dashboard.Sessions;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.dashboard.Argon2Hasher;
import dev.keygate.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 8's security rules over real HTTPS, with a plain HTTP client playing the browser
 * (and the attacker): CSRF tokens on every POST, the cookie flags, the lockout, sessions that
 * expire and end, scoping to the signed-in account, live keys only after email verification,
 * the security headers, and a secret key shown once. Each test signs up its own accounts; the
 * shared server's clock only moves forward, so tests that travel in time leave the others alone.
 */
class DashboardSecurityTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String EXPIRED_FORM = "This form has expired";
    private static final String LOCKED = "Too many failed logins for this email";
    private static final String MISMATCH = "That email and password do not match.";
    private static final DateTimeFormatter UNLOCK_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    // ---- CSRF ----

    @Test
    void signedInFormsWhenCsrfTokenMissingOrWrongThenForbiddenAndNothingChanges() {
        try (DashboardClient owner = new DashboardClient(server); DashboardClient other = new DashboardClient(server)) {
            String email = newEmail();
            String secret = keyValue(owner.signUp(email).body(), "sk_test_");
            other.signUp(newEmail());
            Account account = account(email);
            KeyRecord secretRecord = record(account, KeyType.SECRET, Environment.TEST);
            List<KeyRecord> keysBefore = server.keys().list(account.id());
            int mailsBefore = Outbox.mails(server.dataDir()).size();
            String ownToken = owner.csrf();

            Map<String, Map<String, String>> forms = new LinkedHashMap<>();
            forms.put("/dashboard/keys", DashboardClient.form("type", "secret", "name", "Planted"));
            forms.put("/dashboard/keys/" + secretRecord.id() + "/delete", DashboardClient.form());
            forms.put("/dashboard/environment", DashboardClient.form("environment", "live", "back", "/dashboard/keys"));
            forms.put("/dashboard/verify/resend", DashboardClient.form());
            forms.put("/dashboard/logout", DashboardClient.form());
            for (var form : forms.entrySet()) {
                for (Optional<String> token : wrongTokens(other.csrf())) {
                    Map<String, String> fields = new LinkedHashMap<>(form.getValue());
                    token.ifPresent(value -> fields.put("csrf", value));

                    HttpResponse<String> refused = owner.post(form.getKey(), fields);

                    assertThat(refused.statusCode()).as("POST %s with token %s", form.getKey(), token).isEqualTo(403);
                    assertThat(refused.body()).contains(EXPIRED_FORM);
                    assertThat(refused.headers().allValues("Set-Cookie")).isEmpty();
                }
            }

            assertThat(server.keys().list(account.id())).as("no key created or deleted").isEqualTo(keysBefore);
            assertThat(server.ping(DashboardClient.parse(secret)).statusCode()).isEqualTo(200);
            assertThat(Outbox.mails(server.dataDir())).as("no mail sent").hasSize(mailsBefore);
            HttpResponse<String> keys = owner.get("/dashboard/keys");
            assertThat(keys.statusCode()).as("still signed in").isEqualTo(200);
            assertThat(keys.body()).as("still in test mode").contains("test-banner").doesNotContain("live-banner");
            assertThat(owner.csrf()).as("the session's token did not change").isEqualTo(ownToken);
            // And the right token works, so the refusals above were about the token alone.
            assertThat(owner.submit("/dashboard/environment", "environment", "live").statusCode()).isEqualTo(303);
            assertThat(owner.get("/dashboard/keys").body()).contains("live-banner");
        }
    }

    @Test
    void loginAndSignupWhenCsrfTokenMissingOrWrongThenForbiddenAndNoSession() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server)) {
            owner.signUp(email);
        }
        String newcomer = newEmail();
        try (DashboardClient visitor = new DashboardClient(server)) {
            assertThat(visitor.get("/dashboard/login").statusCode()).isEqualTo(200);
            String preSession = visitor.cookie(CSRF_COOKIE).orElseThrow();
            String cookieToken = visitor.csrf();
            assertThat(cookieToken).as("the form's token is an HMAC of the cookie, not the cookie")
                    .isNotEqualTo(preSession).matches("[0-9A-Za-z_-]{43}");
            for (Optional<String> token : wrongTokens(Base62.random(RANDOM, 32))) {
                assertRefusedWithoutSession(visitor, "/dashboard/login", token, "email", email, "password", PASSWORD);
                assertRefusedWithoutSession(visitor, "/dashboard/signup", token, "name", "Sneaky", "email", newcomer,
                        "password", PASSWORD);
            }
            // An attacker who plants a cookie and sends its value as the token (double submit) is refused.
            String planted = Base62.random(RANDOM, 32);
            visitor.cookie(CSRF_COOKIE, planted);
            assertRefusedWithoutSession(visitor, "/dashboard/login", Optional.of(planted), "email", email, "password",
                    PASSWORD);
            assertRefusedWithoutSession(visitor, "/dashboard/signup", Optional.of(planted), "name", "Sneaky", "email",
                    newcomer, "password", PASSWORD);
            // The real token with another pre-session cookie is refused too.
            assertRefusedWithoutSession(visitor, "/dashboard/login", Optional.of(cookieToken), "email", email,
                    "password", PASSWORD);
            // The form's token without its cookie (a forged cross-site form cannot send it) is refused too.
            visitor.cookie(CSRF_COOKIE, null);
            assertRefusedWithoutSession(visitor, "/dashboard/login", Optional.of(cookieToken), "email", email,
                    "password", PASSWORD);
            assertRefusedWithoutSession(visitor, "/dashboard/signup", Optional.of(cookieToken), "name", "Sneaky",
                    "email", newcomer, "password", PASSWORD);

            assertThat(server.store().findAccountByEmail(newcomer)).as("no account was created").isEmpty();
            assertThat(Outbox.newest(server.dataDir(), newcomer)).isEmpty();
            // With cookie and form token in agreement, the same login works.
            visitor.cookie(CSRF_COOKIE, preSession);
            assertThat(visitor.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
            assertThat(visitor.cookie(SESSION_COOKIE)).isPresent();
        }
    }

    private static void assertRefusedWithoutSession(DashboardClient visitor, String path, Optional<String> token,
            String... fields) {
        Map<String, String> form = DashboardClient.form(fields);
        token.ifPresent(value -> form.put("csrf", value));

        HttpResponse<String> refused = visitor.post(path, form);

        assertThat(refused.statusCode()).as("POST %s with token %s", path, token).isEqualTo(403);
        assertThat(refused.body()).contains(EXPIRED_FORM);
        assertThat(setCookie(refused, SESSION_COOKIE)).isEmpty();
        assertThat(visitor.cookie(SESSION_COOKIE)).isEmpty();
    }

    /** No token, an empty one, a made-up one, and another session's real one. */
    private static List<Optional<String>> wrongTokens(String someoneElses) {
        return List.of(Optional.empty(), Optional.of(""), Optional.of(Base62.random(RANDOM, 32)),
                Optional.of(someoneElses));
    }

    // ---- cookies ----

    @Test
    void cookiesWhenSetThenHostPrefixedHttpOnlySecureSameSiteStrictPathRoot() {
        // __Host-: the browser takes them only over HTTPS, with Path=/ and no Domain.
        assertThat(List.of(SESSION_COOKIE, CSRF_COOKIE)).allMatch(name -> name.startsWith("__Host-"));
        Set<String> strict = Set.of("httponly", "secure", "samesite=strict", "path=/");
        String email = newEmail();
        try (DashboardClient browser = new DashboardClient(server)) {
            HttpResponse<String> loginPage = browser.get("/dashboard/login");
            String csrfCookie = setCookie(loginPage, CSRF_COOKIE).orElseThrow();
            assertThat(attributes(csrfCookie)).as(csrfCookie).isEqualTo(strict);
            assertThat(value(csrfCookie)).matches("[0-9A-Za-z]{32}");

            HttpResponse<String> signedUp = browser.signUp(email);
            String signupSession = setCookie(signedUp, SESSION_COOKIE).orElseThrow();
            assertThat(attributes(signupSession)).as(signupSession).isEqualTo(strict);
            // At least 128 random bits: 22 base62 characters carry 131.
            assertThat(value(signupSession)).matches("[0-9A-Za-z]{22,}");

            HttpResponse<String> loggedOut = browser.submit("/dashboard/logout");
            String cleared = setCookie(loggedOut, SESSION_COOKIE).orElseThrow();
            assertThat(value(cleared)).isEmpty();
            assertThat(attributes(cleared)).as(cleared).contains("max-age=0").containsAll(strict);

            HttpResponse<String> loggedIn = browser.logIn(email, PASSWORD);
            assertThat(loggedIn.statusCode()).isEqualTo(303);
            String loginSession = setCookie(loggedIn, SESSION_COOKIE).orElseThrow();
            assertThat(attributes(loginSession)).as(loginSession).isEqualTo(strict);
            assertThat(value(loginSession)).matches("[0-9A-Za-z]{22,}").isNotEqualTo(value(signupSession));
        }
    }

    @Test
    void loginWhenBrowserBringsItsOwnSessionCookieThenServerIssuesANewOne() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server)) {
            owner.signUp(email);
        }
        String planted = Base62.random(RANDOM, 43);
        try (DashboardClient victim = new DashboardClient(server); DashboardClient attacker = new DashboardClient(server)) {
            victim.cookie(SESSION_COOKIE, planted);
            assertThat(victim.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
            assertThat(victim.cookie(SESSION_COOKIE)).hasValueSatisfying(token -> assertThat(token).isNotEqualTo(planted));

            attacker.cookie(SESSION_COOKIE, planted);
            assertRedirectedToLogin(attacker.get("/dashboard/keys"));
        }
    }

    // ---- lockout ----

    @Test
    void loginWhenTenFailuresWithinFifteenMinutesThenLockedForFifteenMinutesEvenWithRightPassword() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server)) {
            owner.signUp(email);
        }
        try (DashboardClient browser = new DashboardClient(server)) {
            for (int failure = 1; failure <= 9; failure++) {
                // The same address however it is written: the count is per account, not per spelling.
                String spelling = failure % 2 == 0 ? email.toUpperCase(Locale.ROOT) : email;
                HttpResponse<String> refused = browser.logIn(spelling, "wrong password " + failure);
                assertThat(refused.statusCode()).as("failure %d", failure).isEqualTo(401);
                assertThat(refused.body()).contains(MISMATCH).doesNotContain(LOCKED);
                server.clock().advance(Duration.ofMinutes(1));
            }
            HttpResponse<String> tenth = browser.logIn(email, "wrong password 10");
            assertThat(tenth.statusCode()).as("the tenth failure").isIn(401, 429);
            String unlocked = UNLOCK_TIME.format(server.clock().instant().plus(Logins.LOCKOUT_DURATION));

            server.clock().advance(Duration.ofMinutes(1));
            HttpResponse<String> rightPassword = browser.logIn(email, PASSWORD);
            assertThat(rightPassword.statusCode()).isEqualTo(429);
            assertThat(rightPassword.body()).contains(LOCKED, "Try again after " + unlocked).doesNotContain(MISMATCH);
            assertThat(browser.cookie(SESSION_COOKIE)).isEmpty();

            // Locked until 15 minutes after the last failure (the tenth, one minute ago).
            server.clock().advance(Duration.ofMinutes(14).minusSeconds(1));
            assertThat(browser.logIn(email, PASSWORD).statusCode()).as("one second before the end").isEqualTo(429);
            assertThat(browser.cookie(SESSION_COOKIE)).isEmpty();

            server.clock().advance(Duration.ofSeconds(1));
            HttpResponse<String> loggedIn = browser.logIn(email, PASSWORD);
            assertThat(loggedIn.statusCode()).as("15 minutes after the last failure").isEqualTo(303);
            assertThat(header(loggedIn, "Location")).hasValue("/dashboard/keys");
            assertThat(browser.get("/dashboard/keys").statusCode()).isEqualTo(200);
            assertThat(browser.get("/dashboard/audit").body()).contains("login.failed", "login.succeeded");
        }
    }

    @Test
    void loginWhenFailuresSpreadOverMoreThanFifteenMinutesThenNotLocked() {
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server)) {
            owner.signUp(email);
        }
        try (DashboardClient browser = new DashboardClient(server)) {
            for (int failure = 1; failure <= 9; failure++) {
                assertThat(browser.logIn(email, "wrong password").statusCode()).isEqualTo(401);
                server.clock().advance(Duration.ofMinutes(1));
            }
            // The first failure is now more than 15 minutes old: this is the 9th within the window.
            server.clock().advance(Duration.ofMinutes(7));
            assertThat(browser.logIn(email, "wrong password").statusCode()).isEqualTo(401);
            assertThat(browser.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
        }
    }

    @Test
    void loginWhenEmailUnknownThenSameAnswersAsForAKnownEmail() {
        String known = newEmail();
        try (DashboardClient owner = new DashboardClient(server)) {
            owner.signUp(known);
        }
        String unknown = newEmail();
        try (DashboardClient knownBrowser = new DashboardClient(server);
                DashboardClient unknownBrowser = new DashboardClient(server)) {
            for (int attempt = 1; attempt <= 12; attempt++) {
                // Ten failures, then the known account's right password (while locked), at the same instants.
                String password = attempt <= 10 ? "wrong password " + attempt : PASSWORD;
                HttpResponse<String> forKnown = knownBrowser.logIn(known, password);
                HttpResponse<String> forUnknown = unknownBrowser.logIn(unknown, password);

                assertThat(forUnknown.statusCode()).as("attempt %d", attempt).isEqualTo(forKnown.statusCode());
                assertThat(comparable(forUnknown, unknown)).as("attempt %d", attempt)
                        .isEqualTo(comparable(forKnown, known));
                assertThat(headerNames(forUnknown)).isEqualTo(headerNames(forKnown));
                server.clock().advance(Duration.ofMinutes(1));
            }
            assertThat(knownBrowser.received().getLast().body()).contains(LOCKED);
        }
    }

    @Test
    void loginWhenManyWrongPasswordsInParallelThenAtMostTenChecked() throws Exception {
        // A minute on: the other tests' logins from this address no longer count against its throttle.
        server.clock().advance(RateLimiter.WINDOW);
        String email = newEmail();
        try (DashboardClient owner = new DashboardClient(server)) {
            owner.signUp(email);
        }
        try (DashboardClient attacker = new DashboardClient(server)) {
            assertThat(attacker.get("/dashboard/login").statusCode()).isEqualTo(200);
            String cookie = CSRF_COOKIE + "=" + attacker.cookie(CSRF_COOKIE).orElseThrow();
            String token = attacker.csrf();
            HttpClient http = server.newClient(Optional.empty());
            List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                String form = "csrf=" + token + "&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                        + "&password=guess" + i;
                attempts.add(http.sendAsync(HttpRequest.newBuilder(server.https("/dashboard/login"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Cookie", cookie)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> attempt : attempts) {
                statuses.add(attempt.get(60, TimeUnit.SECONDS).statusCode());
            }
            http.close();

            // Which come back 401 and which 429 depends on timing: all may see the lock once the hashes queue.
            assertThat(statuses).as("statuses of 25 parallel guesses").isSubsetOf(401, 429);
            assertThat(attacker.logIn(email, PASSWORD).statusCode()).isEqualTo(429);
        }
        // Each password checked left a login.failed event: the lock must hold however the guesses are timed.
        server.clock().advance(Logins.LOCKOUT_DURATION.plusSeconds(1));
        try (DashboardClient owner = new DashboardClient(server)) {
            assertThat(owner.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
            String audit = owner.get("/dashboard/audit").body();
            assertThat(audit.split("login\\.failed", -1).length - 1).as("passwords checked")
                    .isBetween(1, Logins.LOCKOUT_FAILURES);
        }
    }

    @Test
    void loginWhenThirtyAttemptsFromOneAddressWithinAMinuteThenRefusedWithRetryAfterWhateverTheEmail() {
        // Its own server: the shared one counts the other tests' logins from this address too.
        try (TestServer own = TestServer.start()) {
            String email = newEmail();
            try (DashboardClient owner = new DashboardClient(own)) {
                owner.signUp(email);
            }
            try (DashboardClient attacker = new DashboardClient(own); DashboardClient owner = new DashboardClient(own)) {
                for (int attempt = 1; attempt <= LoginThrottle.ATTEMPTS_PER_ADDRESS; attempt++) {
                    // Unknown emails, each tried once: the per-email lockout never sees them.
                    assertThat(attacker.logIn(newEmail(), "guess " + attempt).statusCode()).as("attempt %d", attempt)
                            .isEqualTo(401);
                    own.clock().advance(Duration.ofSeconds(1));
                }
                HttpResponse<String> refused = owner.logIn(email, PASSWORD);
                assertThat(refused.statusCode()).as("the right password from the same address").isEqualTo(429);
                assertThat(header(refused, "Retry-After")).hasValue("30");
                assertThat(refused.body()).contains("Too many logins from your address").doesNotContain(MISMATCH);
                assertThat(owner.cookie(SESSION_COOKIE)).isEmpty();

                own.clock().advance(Duration.ofSeconds(29));
                assertThat(owner.logIn(email, PASSWORD).statusCode()).as("one second early").isEqualTo(429);
                own.clock().advance(Duration.ofSeconds(1));
                assertThat(owner.logIn(email, PASSWORD).statusCode()).as("the first attempt left the minute")
                        .isEqualTo(303);
            }
        }
    }

    /** A login answer with the echoed email and the per-browser form token taken out. */
    private static String comparable(HttpResponse<String> response, String email) {
        return response.body().replace(email, "EMAIL").replaceAll("name=\"csrf\" value=\"[^\"]*\"", "CSRF");
    }

    private static Set<String> headerNames(HttpResponse<String> response) {
        Set<String> names = new TreeSet<>();
        response.headers().map().keySet().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
        return names;
    }

    // ---- scoping ----

    @Test
    void otherAccountsKeyByIdWhenSignedInThenNotFoundAndKeyKeepsWorking() {
        try (DashboardClient alice = new DashboardClient(server); DashboardClient mallory = new DashboardClient(server)) {
            String aliceEmail = newEmail();
            HttpResponse<String> aliceKeys = alice.signUp(aliceEmail);
            String secret = keyValue(aliceKeys.body(), "sk_test_");
            String publishable = keyValue(aliceKeys.body(), "pk_test_");
            Account account = account(aliceEmail);
            KeyRecord secretRecord = record(account, KeyType.SECRET, Environment.TEST);
            KeyRecord publicRecord = record(account, KeyType.PUBLIC, Environment.TEST);
            assertThat(server.ping(DashboardClient.parse(secret)).statusCode()).isEqualTo(200);
            mallory.signUp(newEmail());

            HttpResponse<String> unknownKey = mallory.get("/dashboard/keys/key_" + Base62.random(RANDOM, 16));
            assertThat(unknownKey.statusCode()).isEqualTo(404);
            for (KeyRecord record : List.of(secretRecord, publicRecord)) {
                for (HttpResponse<String> response : List.of(
                        mallory.get("/dashboard/keys/" + record.id()),
                        mallory.get("/dashboard/keys/" + record.id() + "/delete"),
                        mallory.submit("/dashboard/keys/" + record.id() + "/delete"))) {
                    assertThat(response.statusCode()).as("%s of %s", response.request().uri(), record.id())
                            .isEqualTo(404);
                    assertThat(response.body()).as("the same page as for a key that does not exist")
                            .isEqualTo(unknownKey.body())
                            .doesNotContain(publishable, secret, record.masked(), aliceEmail);
                }
            }

            assertThat(server.keys().list(account.id())).allSatisfy(key -> assertThat(key.revokedAt()).isEmpty());
            assertThat(server.ping(DashboardClient.parse(secret)).statusCode()).isEqualTo(200);
            assertThat(server.ping(DashboardClient.parse(publishable)).statusCode()).isEqualTo(200);
            assertThat(poll(Duration.ofSeconds(5), () -> alice.get("/dashboard/requests").body(),
                    body -> body.contains(secretRecord.id()))).contains(secretRecord.id());
            for (String page : List.of("/dashboard/keys", "/dashboard/requests", "/dashboard/audit")) {
                assertThat(mallory.get(page).body()).as(page)
                        .doesNotContain(secretRecord.id(), publicRecord.id(), aliceEmail, secretRecord.masked());
            }
            // Switched to live, Mallory still sees nothing of Alice.
            mallory.submit("/dashboard/environment", "environment", "live");
            assertThat(mallory.get("/dashboard/keys/" + publicRecord.id()).statusCode()).isEqualTo(404);
        }
    }

    // ---- sessions ----

    @Test
    void sessionWhenIdleThirtyMinutesThenLoginAgain() {
        try (DashboardClient browser = new DashboardClient(server)) {
            String email = newEmail();
            browser.signUp(email);
            String token = browser.csrf();
            int keys = server.keys().list(account(email).id()).size();

            server.clock().advance(Sessions.SESSION_IDLE_TIMEOUT.minusMinutes(1));
            assertThat(browser.get("/dashboard/keys").statusCode()).isEqualTo(200);
            server.clock().advance(Sessions.SESSION_IDLE_TIMEOUT.minusMinutes(1));
            assertThat(browser.get("/dashboard/keys").statusCode()).as("activity keeps it alive").isEqualTo(200);

            server.clock().advance(Sessions.SESSION_IDLE_TIMEOUT);
            assertRedirectedToLogin(browser.get("/dashboard/keys"));
            assertRedirectedToLogin(browser.post("/dashboard/keys", DashboardClient.form("csrf", token, "type",
                    "secret", "name", "Late")));
            assertThat(server.keys().list(account(email).id())).hasSize(keys);
            // Coming back does not revive it.
            server.clock().advance(Duration.ofMinutes(1));
            assertRedirectedToLogin(browser.get("/dashboard/requests"));
        }
    }

    @Test
    void sessionWhenTwelveHoursOldThenOverEvenIfActive() {
        try (DashboardClient browser = new DashboardClient(server)) {
            browser.signUp(newEmail());
            Duration step = Duration.ofMinutes(25);
            Duration elapsed = Duration.ZERO;
            while (elapsed.plus(step).compareTo(Sessions.SESSION_MAX_AGE) < 0) {
                server.clock().advance(step);
                elapsed = elapsed.plus(step);
                assertThat(browser.get("/dashboard/keys").statusCode()).as("after %s", elapsed).isEqualTo(200);
            }
            server.clock().advance(Sessions.SESSION_MAX_AGE.minus(elapsed));
            assertRedirectedToLogin(browser.get("/dashboard/keys"));
        }
    }

    @Test
    void logoutWhenPostedThenOldCookieNoLongerWorks() {
        String email = newEmail();
        try (DashboardClient browser = new DashboardClient(server); DashboardClient replay = new DashboardClient(server)) {
            browser.signUp(email);
            String session = browser.cookie(SESSION_COOKIE).orElseThrow();
            String token = browser.csrf();
            int keys = server.keys().list(account(email).id()).size();

            HttpResponse<String> loggedOut = browser.submit("/dashboard/logout");

            assertThat(loggedOut.statusCode()).isEqualTo(303);
            assertThat(header(loggedOut, "Location")).hasValue("/dashboard/login?notice=logged-out");
            assertThat(browser.cookie(SESSION_COOKIE)).as("the browser drops it").isEmpty();
            assertThat(browser.get("/dashboard/login?notice=logged-out").body()).contains("You are logged out.");
            // Someone who kept a copy of the cookie gets nothing: the session is gone on the server.
            replay.cookie(SESSION_COOKIE, session);
            assertRedirectedToLogin(replay.get("/dashboard/keys"));
            assertRedirectedToLogin(replay.post("/dashboard/keys", DashboardClient.form("csrf", token, "type",
                    "secret", "name", "After logout")));
            assertThat(server.keys().list(account(email).id())).hasSize(keys);
        }
    }

    // ---- live keys and email verification ----

    @Test
    void liveKeyWhenEmailNotVerifiedThenRefusedUntilLinkOpened() {
        String email = newEmail();
        try (DashboardClient browser = new DashboardClient(server); DashboardClient mailClient = new DashboardClient(server)) {
            // Signed up, the link not followed yet: the owner logs in with the password.
            assertThat(browser.signUp("Test shop", email, PASSWORD).statusCode()).isEqualTo(200);
            assertThat(browser.logIn(email, PASSWORD).statusCode()).isEqualTo(303);
            browser.get("/dashboard/keys");
            Account account = account(email);
            Outbox.Mail mail = Outbox.newest(server.dataDir(), email).orElseThrow();
            assertThat(mail.subject()).isEqualTo("Finish signing up for Keygate");

            HttpResponse<String> switched = browser.submit("/dashboard/environment", "environment", "live", "back",
                    "https://evil.example/dashboard/keys");
            assertThat(switched.statusCode()).isEqualTo(303);
            assertThat(header(switched, "Location")).as("no open redirect").hasValue("/dashboard/keys");
            HttpResponse<String> livePage = browser.get("/dashboard/keys");
            assertThat(livePage.body()).contains("live-banner", "Verify your email address to create live keys");

            HttpResponse<String> refused = browser.submit("/dashboard/keys", "type", "secret", "name", "Too early");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("Verify your email address before creating live keys");
            assertThat(DashboardClient.keyValues(refused.body())).isEmpty();
            assertThat(browser.submit("/dashboard/keys", "type", "public", "name", "Too early").statusCode())
                    .isEqualTo(400);
            assertThat(server.keys().list(account.id()))
                    .noneMatch(key -> key.environment() == Environment.LIVE);

            HttpResponse<String> resent = browser.submit("/dashboard/verify/resend");
            assertThat(header(resent, "Location")).hasValue("/dashboard/keys?notice=verification-sent");
            assertThat(Outbox.mails(server.dataDir()).stream().filter(m -> m.to().equals(email))).hasSize(2);

            String link = Outbox.verificationLink(server.dataDir(), email);
            assertThat(link).startsWith("https://localhost:" + server.keygate().httpsPort() + "/dashboard/verify?token=");
            HttpResponse<String> verified = mailClient.followLink(link);
            assertThat(verified.statusCode()).as("the account had no key yet: its first keys").isEqualTo(201);
            assertThat(verified.body()).contains("Your first keys");
            HttpResponse<String> again = new DashboardClient(server).followLink(link);
            assertThat(again.statusCode()).as("a link works once").isEqualTo(400);
            assertThat(again.body()).contains("This link does not work");

            HttpResponse<String> created = browser.submit("/dashboard/keys", "type", "secret", "name", "Live backend");
            assertThat(created.statusCode()).isEqualTo(201);
            String live = keyValue(created.body(), "sk_live_");
            HttpResponse<String> ping = server.ping(DashboardClient.parse(live));
            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(ping.body()).getString("environment")).isEqualTo("live");
            assertThat(browser.get("/dashboard/audit").body()).contains("email.verified");
        }
    }

    @Test
    void verificationLinkWhenOlderThan24HoursThenRefused() {
        String email = newEmail();
        try (DashboardClient browser = new DashboardClient(server)) {
            assertThat(browser.signUp("Test shop", email, PASSWORD).statusCode()).isEqualTo(200);
            String link = Outbox.verificationLink(server.dataDir(), email);
            server.clock().advance(EmailVerifications.VERIFICATION_TTL);

            HttpResponse<String> late = browser.followLink(link);

            assertThat(late.statusCode()).isEqualTo(400);
            assertThat(late.body()).contains("This link does not work");
            assertThat(browser.cookie(SESSION_COOKIE)).isEmpty();
            assertThat(browser.followLink(link.substring(0, link.indexOf("token=")) + "token="
                    + Base62.random(RANDOM, 43)).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void verificationLinkWhenSignupSentWithForeignHostHeaderThenStillPointsHere() throws IOException {
        String email = newEmail();
        String cookie;
        String token;
        try (DashboardClient visitor = new DashboardClient(server)) {
            visitor.get("/dashboard/signup");
            cookie = CSRF_COOKIE + "=" + visitor.cookie(CSRF_COOKIE).orElseThrow();
            token = visitor.csrf();
        }
        String form = "csrf=" + token + "&name=Acme&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);

        // An attacker signs up with the victim's email through a request naming another host.
        String answer = server.rawHttps("POST /dashboard/signup HTTP/1.1\r\n"
                + "Host: attacker.example\r\n"
                + "Cookie: " + cookie + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + form.length() + "\r\n"
                + "Connection: close\r\n\r\n" + form);

        assertThat(answer).startsWith("HTTP/1.1 200");
        String link = Outbox.verificationLink(server.dataDir(), email);
        assertThat(link).as("the link mailed to the owner must not lead to whatever host the request named")
                .doesNotContain("attacker.example");
    }

    // ---- escaping ----

    @Test
    void namesWhenTheyHoldHtmlThenShownAsText() {
        String html = "<img src=x onerror=alert(1)>\"'&";
        try (DashboardClient browser = new DashboardClient(server)) {
            String email = newEmail();
            assertThat(browser.signUp(html, email, PASSWORD).statusCode()).isEqualTo(200);
            HttpResponse<String> created = browser.followLink(Outbox.verificationLink(server.dataDir(), email));
            assertThat(created.statusCode()).isEqualTo(201);
            HttpResponse<String> key = browser.submit("/dashboard/keys", "type", "public", "name", html);
            assertThat(key.statusCode()).isEqualTo(201);
            KeyRecord record = server.keys().list(account(email).id()).stream()
                    .filter(k -> k.name().equals(html)).findFirst().orElseThrow();

            for (HttpResponse<String> page : List.of(created, key, browser.get("/dashboard/keys"),
                    browser.get("/dashboard/keys/" + record.id()), browser.get("/dashboard/keys/" + record.id()
                            + "/delete"))) {
                assertThat(page.body()).as(page.request().uri().getPath())
                        .doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
            }
        }
    }

    // ---- headers ----

    @Test
    void dashboardPagesWhenServedThenSecurityHeaders() {
        try (DashboardClient visitor = new DashboardClient(server); DashboardClient browser = new DashboardClient(server)) {
            List<HttpResponse<String>> responses = new ArrayList<>();
            responses.add(visitor.get("/dashboard"));
            responses.add(visitor.get("/dashboard/"));
            responses.add(visitor.get("/dashboard/login"));
            responses.add(visitor.get("/dashboard/signup"));
            responses.add(visitor.get("/dashboard/keys"));
            responses.add(visitor.get("/dashboard/verify?token=nothing"));
            responses.add(visitor.followLink("https://localhost/dashboard/verify?token=nothing"));
            responses.add(visitor.post("/dashboard/login", DashboardClient.form("email", "a@example.com")));

            String email = newEmail();
            int before = browser.received().size();
            browser.signUp(email);
            // Every page of sign-up: the form, "check your mail", the link's page and the first keys.
            responses.addAll(browser.received().subList(before, browser.received().size()));
            Account account = account(email);
            KeyRecord publicRecord = record(account, KeyType.PUBLIC, Environment.TEST);
            KeyRecord secretRecord = record(account, KeyType.SECRET, Environment.TEST);
            for (String page : List.of("/dashboard/keys", "/dashboard/requests", "/dashboard/requests?status=4xx",
                    "/dashboard/audit", "/dashboard/keys/" + publicRecord.id(),
                    "/dashboard/keys/" + secretRecord.id() + "/delete", "/dashboard/keys/" + secretRecord.id(),
                    "/dashboard/keys/key_0000000000000000")) {
                responses.add(browser.get(page));
            }
            responses.add(browser.submit("/dashboard/keys", "type", "public", "name", "Web"));
            responses.add(browser.post("/dashboard/keys", DashboardClient.form("type", "public")));

            for (HttpResponse<String> response : responses) {
                String what = response.request().method() + " " + response.request().uri().getPath() + " -> "
                        + response.statusCode();
                assertThat(header(response, "Content-Security-Policy")).as(what).hasValueSatisfying(csp ->
                        assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'", "form-action 'self'")
                                .doesNotContain("unsafe-inline", "unsafe-eval", "*"));
                assertThat(header(response, "X-Frame-Options")).as(what).hasValue("DENY");
                assertThat(header(response, "Cache-Control")).as(what).hasValueSatisfying(cache ->
                        assertThat(cache).contains("no-store"));
                assertThat(header(response, "Strict-Transport-Security")).as(what).hasValueSatisfying(hsts ->
                        assertThat(Long.parseLong(hsts.replaceAll("^max-age=(\\d+).*$", "$1")))
                                .isGreaterThanOrEqualTo(Duration.ofDays(365).toSeconds()));
                assertThat(header(response, "X-Content-Type-Options")).as(what).hasValue("nosniff");
                assertThat(header(response, "Referrer-Policy")).as(what).hasValue("no-referrer");
                if (!response.body().isEmpty()) {
                    assertThat(header(response, "Content-Type")).as(what).hasValue("text/html; charset=utf-8");
                    assertThat(response.body()).as("%s fetches nothing from elsewhere", what)
                            .doesNotContainPattern("(src|href|action)=\"(https?:)?//");
                }
            }
            assertThat(responses).extracting(HttpResponse::statusCode).contains(200, 201, 303, 400, 403, 404);
        }
    }

    // ---- the secret key ----

    @Test
    void secretKeyWhenCreatedThenInNoOtherResponseAndNotStored() throws IOException {
        String email = newEmail();
        try (DashboardClient browser = new DashboardClient(server)) {
            HttpResponse<String> signedUp = browser.signUp(email);
            String secret = keyValue(signedUp.body(), "sk_test_");
            Account account = account(email);
            KeyRecord secretRecord = record(account, KeyType.SECRET, Environment.TEST);
            KeyRecord publicRecord = record(account, KeyType.PUBLIC, Environment.TEST);

            List<HttpResponse<String>> api = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                api.add(server.ping(DashboardClient.parse(secret)));
            }
            api.add(server.get("/api/v1/payments", "Authorization", "Bearer " + secret));
            api.add(server.get("/api/v1/ping?api_key=" + secret));
            HttpResponse<String> keysPage = browser.get("/dashboard/keys");
            assertThat(keysPage.body()).contains(secretRecord.masked());
            browser.get("/dashboard/keys/" + publicRecord.id());
            browser.get("/dashboard/keys/" + secretRecord.id());
            browser.get("/dashboard/keys/" + secretRecord.id() + "/delete");
            HttpResponse<String> backend = browser.submit("/dashboard/keys", "type", "secret", "name", "Backend");
            String backendSecret = keyValue(backend.body(), "sk_test_");
            browser.get("/dashboard/keys");
            poll(Duration.ofSeconds(5), () -> browser.get("/dashboard/requests"),
                    page -> page.body().contains(secretRecord.id()));
            browser.get("/dashboard/requests?status=4xx");
            browser.get("/dashboard/audit");
            browser.submit("/dashboard/environment", "environment", "live");
            browser.get("/dashboard/keys");
            browser.submit("/dashboard/logout");
            browser.logIn(email, PASSWORD);
            browser.get("/dashboard/keys");

            assertThat(browser.received().stream().filter(response -> mentions(response, secret)))
                    .as("responses that show the first secret key").containsExactly(signedUp);
            assertThat(browser.received().stream().filter(response -> mentions(response, backendSecret)))
                    .as("responses that show the Backend key").containsExactly(backend);
            assertThat(api).noneMatch(response -> mentions(response, secret));
            assertThat(Outbox.mails(server.dataDir())).noneMatch(mail -> mail.text().contains(secret));
            assertThat(filesContaining(server.dataDir(), secret)).as("files holding the secret key").isEmpty();
            assertThat(filesContaining(server.dataDir(), backendSecret)).as("files holding the Backend key").isEmpty();
        }
    }

    private static boolean mentions(HttpResponse<String> response, String value) {
        return response.body().contains(value) || response.headers().map().values().stream()
                .flatMap(List::stream)
                .anyMatch(header -> header.contains(value));
    }

    /** Files under {@code dir} (the database and its journal included) whose bytes hold {@code value}. */
    private static List<Path> filesContaining(Path dir, String value) throws IOException {
        byte[] needle = value.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return indexOf(Files.readAllBytes(file), needle) >= 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- accounts made with the CLI ----

    /** Found by issue 20: the keys page told such an account to open a mail that was never sent. */
    @Test
    void keysPageWhenAccountMadeWithTheCliThenAsksForAVerificationMailNeverSentAndSendsItOnRequest() {
        String email = newEmail();
        // What `keygate account create` does: the account, with its password hashed as the server checks it.
        new Accounts(server.store(), new Argon2Hasher(), server.clock(), new Ids(new SecureRandom()))
                .create("Made In A Shell", email, PASSWORD);
        try (DashboardClient browser = new DashboardClient(server)) {
            assertThat(browser.logIn(email, PASSWORD).statusCode()).isEqualTo(303);

            String page = browser.get("/dashboard/keys").body();

            assertThat(page).contains("Verify your email address to create live keys")
                    .contains("keygate account create").contains("Mail me a verification link")
                    .doesNotContain("we mailed you");
            assertThat(Outbox.mails(server.dataDir()).stream().filter(m -> m.to().equals(email))).isEmpty();
            HttpResponse<String> asked = browser.submit("/dashboard/verify/resend");
            assertThat(header(asked, "Location")).hasValue("/dashboard/keys?notice=verification-sent");
            assertThat(Outbox.verificationLink(server.dataDir(), email)).contains("/dashboard/verify?token=");
        }
    }

    // ---- the API ignores dashboard cookies ----

    @Test
    void apiWhenOnlyDashboardCookiesThenMissingApiKey() {
        try (DashboardClient browser = new DashboardClient(server)) {
            browser.signUp(newEmail());
            String cookies = SESSION_COOKIE + "=" + browser.cookie(SESSION_COOKIE).orElseThrow() + "; " + CSRF_COOKIE
                    + "=" + browser.cookie(CSRF_COOKIE).orElseThrow();
            assertThat(browser.get("/dashboard/keys").statusCode()).as("the cookie is a live session").isEqualTo(200);

            List<HttpResponse<String>> refused = List.of(
                    server.get("/api/v1/ping", "Cookie", cookies),
                    server.get("/api/v1/payments", "Cookie", cookies, "Accept", "application/json"),
                    server.get("/api/v1/balance", "Cookie", SESSION_COOKIE + "=" + browser.cookie(SESSION_COOKIE)
                            .orElseThrow()),
                    server.send(HttpRequest.newBuilder(server.https("/api/v1/payments"))
                            .header("Cookie", cookies)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1000,\"currency\":\"USD\"}"))));

            for (HttpResponse<String> response : refused) {
                problem(response, 401, "missing_api_key");
                assertThat(header(response, "WWW-Authenticate")).hasValue(CHALLENGE);
            }
        }
    }

    // ---- helpers ----

    private static Account account(String email) {
        return server.store().findAccountByEmail(email).orElseThrow();
    }

    private static KeyRecord record(Account account, KeyType type, Environment environment) {
        List<KeyRecord> keys = server.keys().list(account.id()).stream()
                .filter(key -> key.type() == type && key.environment() == environment)
                .toList();
        assertThat(keys).hasSize(1);
        return keys.get(0);
    }

    private static void assertRedirectedToLogin(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("%s", response.request().uri()).isEqualTo(303);
        assertThat(header(response, "Location")).hasValue("/dashboard/login");
    }

    private static Optional<String> setCookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(name + "="))
                .reduce((first, second) -> {
                    throw new AssertionError("two Set-Cookie headers for " + name);
                });
    }

    private static String value(String setCookie) {
        return setCookie.split(";", 2)[0].split("=", 2)[1];
    }

    /** The attributes of a Set-Cookie header, lower-cased, without the name=value pair or Expires's date. */
    private static Set<String> attributes(String setCookie) {
        Set<String> attributes = new TreeSet<>();
        String[] parts = setCookie.split(";");
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].strip().toLowerCase(Locale.ROOT);
            attributes.add(attribute.startsWith("expires=") ? "expires" : attribute);
        }
        return attributes;
    }
}
