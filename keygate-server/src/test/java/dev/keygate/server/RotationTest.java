package dev.keygate.server;

import static dev.keygate.server.DashboardClient.PASSWORD;
import static dev.keygate.server.DashboardClient.keyValue;
import static dev.keygate.server.DashboardClient.newEmail;
import static dev.keygate.server.RotationPages.code;
import static dev.keygate.server.RotationPages.keyRow;
import static dev.keygate.server.RotationPages.rotationId;
import static dev.keygate.server.RotationPages.text;
import static dev.keygate.server.RotationPages.wrong;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.poll;
import static dev.keygate.server.testing.TestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.keygate.core.ServerSecret;
import dev.keygate.core.Sha256;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Key rotation over the dashboard (SPEC section 6, issue 5) against a real server over HTTPS, the
 * code read from the outbox's {@code .eml} files, time moved with the server's clock: the grace
 * period's last second and the one after, code expiry at 10 minutes, 5 wrong tries, single use, a
 * code bound to its rotation, 5 codes an hour, other accounts, CSRF, and where the code may never
 * be found.
 */
class RotationTest {

    /** Outbox delivery runs every second; a code's mail is there well within this. */
    private static final Duration MAIL_WAIT = Duration.ofSeconds(10);
    /** A changed expiry reaches the verifier's cache through the change feed, polled every 200 ms. */
    private static final Duration FEED_WAIT = Duration.ofSeconds(2);
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PAGE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final Pattern AUDIT_ROW = Pattern.compile("<tr class=\"audit-row\">(.*?)</tr>", Pattern.DOTALL);

    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A merchant signed up through the dashboard, with the two first keys it was shown. */
    private record Shop(DashboardClient browser, String email, String secret, String publishable) {
        String accountId() {
            return server.store().findAccountByEmail(email).orElseThrow().id();
        }
    }

    /** A rotation asked for, with the code its mail brought. */
    private record Rotation(String id, String code, String mail) {
        Rotation(String id, String code) {
            this(id, code, "");
        }
    }

    // ---- the whole flow and the grace period ----

    @Test
    void rotateSecretKeyThenNewKeyShownOnceAndOldKeyWorksWithSunsetUntilOneSecondAfterTheGracePeriod() {
        Shop shop = signUp();
        String oldId = keyId(shop.secret());
        ApiKey old = ApiKey.parse(shop.secret());
        HttpResponse<String> before = server.ping(old);
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(header(before, "Sunset")).isEmpty();

        HttpResponse<String> keys = shop.browser().get("/dashboard/keys");
        assertThat(keyRow(keys.body(), oldId).actions()).contains("/dashboard/keys/" + oldId + "/rotate");
        HttpResponse<String> form = shop.browser().get("/dashboard/keys/" + oldId + "/rotate");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains(shop.email()).contains(old.masked());
        for (String grace : List.of("now", "1h", "24h", "3d", "7d")) {
            assertThat(form.body()).contains("name=\"grace\" value=\"" + grace + "\"");
        }

        Rotation rotation = requestRotation(shop, oldId, "24h");
        assertThat(rotation.mail()).contains("The old key will keep working for 24 hours after you confirm.");
        HttpResponse<String> codePage = shop.browser().get("/dashboard/rotations/" + rotation.id());
        assertThat(codePage.statusCode()).isEqualTo(200);
        assertThat(text(codePage.body())).contains("6-digit code").contains(shop.email()).contains("24 hours");
        server.clock().advance(Duration.ofMinutes(2));
        Instant confirmedAt = server.clock().instant();
        Instant graceEnd = confirmedAt.plus(Duration.ofHours(24));

        HttpResponse<String> rotated = confirm(shop, rotation);

        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        String fresh = keyValue(rotated.body(), "sk_test_");
        assertThat(fresh).isNotEqualTo(shop.secret());
        assertThat(rotated.body()).doesNotContain(shop.secret());
        assertThat(text(rotated.body())).contains("keeps working until " + PAGE_TIME.format(graceEnd));
        String freshId = keyId(fresh);
        KeyRecord freshRecord = server.store().findKey(freshId).orElseThrow();
        assertThat(freshRecord.name()).isEqualTo(server.store().findKey(oldId).orElseThrow().name());
        assertThat(freshRecord.type()).isEqualTo(KeyType.SECRET);
        assertThat(freshRecord.environment()).isEqualTo(Environment.TEST);
        assertThat(freshRecord.expiresAt()).isEmpty();

        // Shown once: the keys page masks it, and a secret key has no page of its own.
        HttpResponse<String> after = shop.browser().get("/dashboard/keys");
        assertThat(after.body()).doesNotContain(fresh).doesNotContain(shop.secret());
        RotationPages.KeyRow oldRow = keyRow(after.body(), oldId);
        assertThat(oldRow.status()).isEqualTo("expiring");
        assertThat(oldRow.expires()).isEqualTo(PAGE_TIME.format(graceEnd));
        RotationPages.KeyRow freshRow = keyRow(after.body(), freshId);
        assertThat(freshRow.status()).isEqualTo("active");
        assertThat(freshRow.expires()).isEqualTo("never");
        assertThat(freshRow.masked()).isEqualTo(ApiKey.mask(fresh));
        assertThat(shop.browser().get("/dashboard/keys/" + freshId).statusCode()).isEqualTo(404);
        assertThat(auditRows(shop)).anySatisfy(row -> assertThat(row).containsSubsequence("key.rotated", oldId));

        // The old key, cached before, carries Sunset as soon as the change feed is read.
        HttpResponse<String> inGrace = poll(FEED_WAIT, () -> server.ping(old), r -> header(r, "Sunset").isPresent());
        assertThat(inGrace.statusCode()).isEqualTo(200);
        assertThat(header(inGrace, "Sunset")).contains(HTTP_DATE.format(graceEnd));
        assertThat(header(server.ping(ApiKey.parse(fresh)), "Sunset")).isEmpty();

        server.clock().set(graceEnd.minusSeconds(1));
        HttpResponse<String> lastSecond = server.ping(old);
        assertThat(lastSecond.statusCode()).isEqualTo(200);
        assertThat(header(lastSecond, "Sunset")).contains(HTTP_DATE.format(graceEnd));

        server.clock().advance(Duration.ofSeconds(2));
        problem(server.ping(old), 401, "api_key_expired");
        assertThat(server.ping(ApiKey.parse(fresh)).statusCode()).isEqualTo(200);
    }

    @Test
    void rotatePublishableKeyThenOldKeyWorksWithSunsetOneSecondBeforeTheHourEndsAndIsRefusedOneSecondAfter() {
        Shop shop = signUp();
        String oldId = keyId(shop.publishable());
        ApiKey old = ApiKey.parse(shop.publishable());
        Rotation rotation = requestRotation(shop, oldId, "1h");
        Instant graceEnd = server.clock().instant().plus(Duration.ofHours(1));

        HttpResponse<String> rotated = confirm(shop, rotation);

        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        String fresh = keyValue(rotated.body(), "pk_test_");
        assertThat(fresh).isNotEqualTo(shop.publishable());
        String freshId = keyId(fresh);
        // A publishable key may be shown again, the new one as any other.
        HttpResponse<String> revealed = shop.browser().get("/dashboard/keys/" + freshId);
        assertThat(revealed.statusCode()).isEqualTo(200);
        assertThat(revealed.body()).contains(fresh);
        assertThat(keyRow(shop.browser().get("/dashboard/keys").body(), oldId).expires())
                .isEqualTo(PAGE_TIME.format(graceEnd));

        server.clock().set(graceEnd.minusSeconds(1));
        HttpResponse<String> lastSecond = server.ping(old);
        assertThat(lastSecond.statusCode()).isEqualTo(200);
        assertThat(header(lastSecond, "Sunset")).contains(HTTP_DATE.format(graceEnd));
        assertThat(server.ping(ApiKey.parse(fresh)).statusCode()).isEqualTo(200);

        server.clock().advance(Duration.ofSeconds(2));
        problem(server.ping(old), 401, "api_key_expired");
        HttpResponse<String> freshAfter = server.ping(ApiKey.parse(fresh));
        assertThat(freshAfter.statusCode()).isEqualTo(200);
        assertThat(header(freshAfter, "Sunset")).isEmpty();
    }

    @Test
    void rotateWithGraceNowThenOldKeyRefusedAtOnce() {
        Shop shop = signUp();
        ApiKey publishable = ApiKey.parse(shop.publishable());
        ApiKey secret = ApiKey.parse(shop.secret());
        assertThat(server.ping(secret).statusCode()).isEqualTo(200);

        Rotation now = requestRotation(shop, keyId(shop.publishable()), "now");
        assertThat(now.mail()).contains("The old key will stop working as soon as you confirm.")
                .doesNotContain("keep working");
        HttpResponse<String> rotatedPublishable = confirm(shop, now);
        assertThat(rotatedPublishable.statusCode()).as(rotatedPublishable.body()).isEqualTo(201);
        assertThat(text(rotatedPublishable.body())).contains("no longer works");

        // Not cached before: the very next request is refused.
        problem(server.ping(publishable), 401, "api_key_expired");
        assertThat(server.ping(ApiKey.parse(keyValue(rotatedPublishable.body(), "pk_test_"))).statusCode())
                .isEqualTo(200);

        // Cached before: refused as soon as the change feed is read (SPEC section 7's "at once").
        HttpResponse<String> rotatedSecret = confirm(shop, requestRotation(shop, keyId(shop.secret()), "now"));
        assertThat(rotatedSecret.statusCode()).as(rotatedSecret.body()).isEqualTo(201);
        HttpResponse<String> refused = poll(Duration.ofSeconds(1), () -> server.ping(secret), r -> r.statusCode() == 401);
        problem(refused, 401, "api_key_expired");
        assertThat(server.ping(ApiKey.parse(keyValue(rotatedSecret.body(), "sk_test_"))).statusCode()).isEqualTo(200);

        RotationPages.KeyRow row = keyRow(shop.browser().get("/dashboard/keys").body(), keyId(shop.secret()));
        assertThat(row.status()).isEqualTo("expired");
        assertThat(row.actions()).doesNotContain("/rotate");
    }

    /**
     * Found by this test: the node that confirmed a rotation keeps trusting its cached copy of the old
     * key until its change-feed poll (every 200 ms) drops it, so "now" is not yet in force on the
     * very next request when the old key was in use.
     */
    @Test
    void rotateWithGraceNowWhenOldKeyInUseThenRefusedOnTheVeryNextRequest() {
        Shop shop = signUp();
        ApiKey secret = ApiKey.parse(shop.secret());
        assertThat(server.ping(secret).statusCode()).isEqualTo(200);
        Rotation rotation = requestRotation(shop, keyId(shop.secret()), "now");
        shop.browser().get("/dashboard/rotations/" + rotation.id());

        assertThat(shop.browser().submit("/dashboard/rotations/" + rotation.id(), "code", rotation.code()).statusCode())
                .isEqualTo(201);

        problem(server.ping(secret), 401, "api_key_expired");
    }

    @Test
    void rotateWhenKeyExpiresSoonerThanTheGracePeriodThenItsExpiryIsNeverExtended() {
        Shop shop = signUp();
        Account account = server.store().findAccountByEmail(shop.email()).orElseThrow();
        Instant earlier = server.clock().instant().plus(Duration.ofMinutes(30));
        ApiKey seeded = server.seedKey(account, KeyType.SECRET, Environment.TEST, Optional.of(earlier));
        String seededId = keyId(seeded.reveal());

        HttpResponse<String> rotated = confirm(shop, requestRotation(shop, seededId, "24h"));

        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        assertThat(text(rotated.body())).contains("keeps working until " + PAGE_TIME.format(earlier));
        assertThat(server.store().findKey(seededId).orElseThrow().expiresAt()).contains(earlier);
        assertThat(keyRow(shop.browser().get("/dashboard/keys").body(), seededId).expires())
                .isEqualTo(PAGE_TIME.format(earlier));
        assertThat(header(server.ping(seeded), "Sunset")).contains(HTTP_DATE.format(earlier));

        server.clock().set(earlier.minusSeconds(1));
        assertThat(server.ping(seeded).statusCode()).isEqualTo(200);
        server.clock().set(earlier.plusSeconds(1));
        problem(server.ping(seeded), 401, "api_key_expired");
    }

    @Test
    void publishableKeyWhenExpiredThenNotOfferedOrShownAgain() {
        Shop shop = signUp();
        String oldId = keyId(shop.publishable());
        assertThat(shop.browser().get("/dashboard/keys/" + oldId).body()).contains(shop.publishable());
        assertThat(keyRow(shop.browser().get("/dashboard/keys").body(), oldId).actions())
                .contains("/dashboard/keys/" + oldId + "\"");

        assertThat(confirm(shop, requestRotation(shop, oldId, "now")).statusCode()).isEqualTo(201);

        RotationPages.KeyRow row = keyRow(shop.browser().get("/dashboard/keys").body(), oldId);
        assertThat(row.status()).isEqualTo("expired");
        assertThat(row.actions()).doesNotContain("Reveal").doesNotContain("/dashboard/keys/" + oldId + "\"");
        HttpResponse<String> reveal = shop.browser().get("/dashboard/keys/" + oldId);
        assertThat(reveal.statusCode()).isEqualTo(404);
        assertThat(reveal.body()).doesNotContain(shop.publishable());
    }

    /** Found by this test: the list shows "expiring" and the expiry, nowhere that the key was rotated. */
    @Test
    void keysListWhenRotatedThenOldKeyMarkedRotated() {
        Shop shop = signUp();
        String oldId = keyId(shop.secret());
        assertThat(confirm(shop, requestRotation(shop, oldId, "7d")).statusCode()).isEqualTo(201);

        RotationPages.KeyRow row = keyRow(shop.browser().get("/dashboard/keys").body(), oldId);

        assertThat(row.expires()).isNotEqualTo("never");
        assertThat(row.text()).containsIgnoringCase("rotated");
    }

    // ---- the code ----

    @Test
    void confirmWhenCodeIsTenMinutesOldThenExpiredAndAt9m59sItWorks() {
        Shop shop = signUp();
        String keyId = keyId(shop.secret());
        Rotation stale = requestRotation(shop, keyId, "24h");
        server.clock().advance(Duration.ofMinutes(10));

        HttpResponse<String> expired = confirm(shop, stale);

        assertThat(expired.statusCode()).isEqualTo(410);
        assertThat(text(expired.body())).contains("This code has expired");
        assertThat(expired.body()).doesNotContain("name=\"code\"");
        assertThat(keyValues(expired)).isEmpty();
        assertThat(server.store().findKey(keyId).orElseThrow().expiresAt()).isEmpty();
        assertThat(shop.browser().get("/dashboard/rotations/" + stale.id()).body()).contains("can no longer be used");

        Rotation fresh = requestRotation(shop, keyId, "24h");
        server.clock().advance(Duration.ofMinutes(9).plusSeconds(59));
        HttpResponse<String> rotated = confirm(shop, fresh);

        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        assertThat(server.store().findKey(keyId).orElseThrow().expiresAt()).isPresent();
        // The stale request stays refused after the other one was used.
        assertThat(confirm(shop, stale).statusCode()).isEqualTo(410);
    }

    @Test
    void confirmWhenFiveWrongCodesThenRequestVoidAndTheRightCodeRefusedOnTheSixthTry() {
        Shop shop = signUp();
        String keyId = keyId(shop.secret());
        Rotation rotation = requestRotation(shop, keyId, "24h");
        String wrong = wrong(rotation.code());

        for (int left = 4; left >= 1; left--) {
            HttpResponse<String> refused = confirm(shop, new Rotation(rotation.id(), wrong));
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(text(refused.body())).contains("That code is not right. " + left + (left == 1 ? " try" : " tries")
                    + " left.");
            assertThat(refused.body()).contains("name=\"code\"");
        }
        HttpResponse<String> fifth = confirm(shop, new Rotation(rotation.id(), wrong));
        assertThat(fifth.statusCode()).isEqualTo(429);
        assertThat(text(fifth.body())).contains("Too many wrong codes: this rotation is void");
        assertThat(fifth.body()).doesNotContain("name=\"code\"");

        HttpResponse<String> sixth = confirm(shop, rotation);

        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(text(sixth.body())).contains("void");
        assertThat(keyValues(sixth)).isEmpty();
        assertThat(server.store().findKey(keyId).orElseThrow().expiresAt()).isEmpty();
        assertThat(server.store().listKeys(shop.accountId())).hasSize(2);
        assertThat(auditRows(shop)).noneSatisfy(row -> assertThat(row).contains("key.rotated"));
        // A new request works again.
        assertThat(confirm(shop, requestRotation(shop, keyId, "24h")).statusCode()).isEqualTo(201);
    }

    @Test
    void confirmWhenCodeUsedAlreadyThenRefusedAndNoSecondKey() {
        Shop shop = signUp();
        String keyId = keyId(shop.secret());
        Rotation rotation = requestRotation(shop, keyId, "3d");
        HttpResponse<String> first = confirm(shop, rotation);
        assertThat(first.statusCode()).isEqualTo(201);
        Optional<Instant> expiry = server.store().findKey(keyId).orElseThrow().expiresAt();

        server.clock().advance(Duration.ofMinutes(1));
        HttpResponse<String> again = confirm(shop, rotation);

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(text(again.body())).contains("This rotation is done already");
        assertThat(keyValues(again)).isEmpty();
        assertThat(server.store().listKeys(shop.accountId())).hasSize(3);
        assertThat(server.store().findKey(keyId).orElseThrow().expiresAt()).isEqualTo(expiry);
        assertThat(auditRows(shop)).filteredOn(row -> row.contains("key.rotated")).hasSize(1);
    }

    @Test
    void confirmWithTheCodeOfAnotherRotationThenWrongCode() {
        Shop shop = signUp();
        Rotation ofSecret = requestRotation(shop, keyId(shop.secret()), "24h");
        Rotation ofPublishable = requestRotation(shop, keyId(shop.publishable()), "24h");
        Shop other = signUp();
        Rotation ofOtherAccount = requestRotation(other, keyId(other.secret()), "24h");

        HttpResponse<String> crossed = confirm(shop, new Rotation(ofSecret.id(), ofPublishable.code()));
        HttpResponse<String> crossedBack = confirm(shop, new Rotation(ofPublishable.id(), ofSecret.code()));
        HttpResponse<String> foreign = confirm(shop, new Rotation(ofSecret.id(), ofOtherAccount.code()));

        for (HttpResponse<String> refused : List.of(crossed, crossedBack, foreign)) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(text(refused.body())).contains("That code is not right");
        }
        assertThat(server.store().listKeys(shop.accountId())).hasSize(2);
        assertThat(confirm(shop, ofSecret).statusCode()).isEqualTo(201);
        assertThat(confirm(shop, ofPublishable).statusCode()).isEqualTo(201);
        assertThat(confirm(other, ofOtherAccount).statusCode()).isEqualTo(201);
    }

    // ---- limits ----

    @Test
    void requestRotationWhenSixthCodeWithinAnHourThenRefusedUntilTheHourHasPassed() {
        Shop shop = signUp();
        String keyId = keyId(shop.secret());
        Instant first = server.clock().instant();
        for (int i = 0; i < 5; i++) {
            shop.browser().get("/dashboard/keys/" + keyId + "/rotate");
            rotationId(shop.browser().submit("/dashboard/keys/" + keyId + "/rotate", "grace", "24h"));
        }

        HttpResponse<String> sixth = shop.browser().submit("/dashboard/keys/" + keyId + "/rotate", "grace", "24h");
        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(text(sixth.body())).contains("Too many codes: at most 5 an hour");
        assertThat(rotationRequests(shop.accountId())).isEqualTo(5);

        // Still refused in the hour's last second (after a new login: the session idled out).
        server.clock().set(first.plus(Duration.ofHours(1)).minusSeconds(1));
        logIn(shop);
        assertThat(shop.browser().submit("/dashboard/keys/" + keyId + "/rotate", "grace", "24h").statusCode())
                .isEqualTo(429);

        server.clock().set(first.plus(Duration.ofHours(1)).plusSeconds(1));
        assertThat(poll(MAIL_WAIT, () -> codeMails(shop.email()), mails -> mails.size() == 5)).hasSize(5);
        Rotation allowed = requestRotation(shop, keyId, "24h");
        assertThat(confirm(shop, allowed).statusCode()).isEqualTo(201);
        assertThat(rotationRequests(shop.accountId())).isEqualTo(6);
        assertThat(codeMails(shop.email())).hasSize(6);
    }

    /**
     * Found by this test: {@code Rotations.request} counts the hour's codes and inserts the new one in
     * two transactions, so requests made at once all see fewer than 5 and all get a code.
     */
    @Test
    void requestRotationWhenManyAtOnceThenStillAtMostFiveCodes() throws Exception {
        Shop shop = signUp();
        String keyId = keyId(shop.secret());
        shop.browser().get("/dashboard/keys/" + keyId + "/rotate");
        List<Callable<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            requests.add(() -> shop.browser().submit("/dashboard/keys/" + keyId + "/rotate", "grace", "24h").statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> status : pool.invokeAll(requests)) {
                statuses.add(status.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).filteredOn(status -> status == 303).hasSizeLessThanOrEqualTo(5);
        assertThat(rotationRequests(shop.accountId())).isLessThanOrEqualTo(5);
    }

    // ---- who may ----

    @Test
    void rotationOfAnotherAccountThenNotFoundAndTheOwnersRequestUntouched() {
        Shop owner = signUp();
        String keyId = keyId(owner.secret());
        Rotation rotation = requestRotation(owner, keyId, "24h");
        Shop intruder = signUp();

        HttpResponse<String> page = intruder.browser().get("/dashboard/rotations/" + rotation.id());
        HttpResponse<String> guessed = intruder.browser().submit("/dashboard/rotations/" + rotation.id(), "code",
                wrong(rotation.code()));
        HttpResponse<String> stolen = intruder.browser().submit("/dashboard/rotations/" + rotation.id(), "code",
                rotation.code());
        HttpResponse<String> form = intruder.browser().get("/dashboard/keys/" + keyId + "/rotate");
        HttpResponse<String> request = intruder.browser().submit("/dashboard/keys/" + keyId + "/rotate", "grace", "now");

        for (HttpResponse<String> refused : List.of(page, guessed, stolen, form, request)) {
            assertThat(refused.statusCode()).as(refused.uri().toString()).isEqualTo(404);
            assertThat(refused.body()).doesNotContain(owner.email()).doesNotContain(rotation.code());
            assertThat(keyValues(refused)).isEmpty();
        }
        assertThat(rotationRequests(intruder.accountId())).isZero();
        assertThat(server.store().listKeys(owner.accountId())).hasSize(2);
        assertThat(server.store().findKey(keyId).orElseThrow().expiresAt()).isEmpty();
        // The intruder's wrong code did not count against the owner: 5 tries are still left.
        HttpResponse<String> ownersTypo = confirm(owner, new Rotation(rotation.id(), wrong(rotation.code())));
        assertThat(text(ownersTypo.body())).contains("4 tries left");
        assertThat(confirm(owner, rotation).statusCode()).isEqualTo(201);
    }

    @Test
    void postsWithoutTheFormTokenThenRefusedAndNothingChanges() {
        Shop shop = signUp();
        String keyId = keyId(shop.secret());
        String path = "/dashboard/keys/" + keyId + "/rotate";

        HttpResponse<String> noToken = shop.browser().post(path, Map.of("grace", "now"));
        HttpResponse<String> badToken = shop.browser().post(path, Map.of("grace", "now", "csrf", "x".repeat(32)));

        for (HttpResponse<String> refused : List.of(noToken, badToken)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(text(refused.body())).contains("This form has expired");
        }
        assertThat(rotationRequests(shop.accountId())).isZero();

        Rotation rotation = requestRotation(shop, keyId, "now");
        String confirmPath = "/dashboard/rotations/" + rotation.id();
        HttpResponse<String> confirmNoToken = shop.browser().post(confirmPath, Map.of("code", rotation.code()));
        HttpResponse<String> confirmBadToken = shop.browser().post(confirmPath,
                Map.of("code", rotation.code(), "csrf", shop.browser().csrf() + "x"));
        // Another session's token is no better.
        Shop other = signUp();
        HttpResponse<String> confirmOthersToken = shop.browser().post(confirmPath,
                Map.of("code", rotation.code(), "csrf", other.browser().csrf()));

        for (HttpResponse<String> refused : List.of(confirmNoToken, confirmBadToken, confirmOthersToken)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(keyValues(refused)).isEmpty();
        }
        assertThat(server.store().findKey(keyId).orElseThrow().expiresAt()).isEmpty();
        assertThat(server.ping(ApiKey.parse(shop.secret())).statusCode()).isEqualTo(200);
        // Refusals did not count as wrong codes.
        HttpResponse<String> typo = confirm(shop, new Rotation(rotation.id(), wrong(rotation.code())));
        assertThat(text(typo.body())).contains("4 tries left");
        assertThat(confirm(shop, rotation).statusCode()).isEqualTo(201);
    }

    @Test
    void requestRotationWhenKeyDeletedThenRefusedWithoutACode() {
        Shop shop = signUp();
        String keyId = keyId(shop.secret());
        shop.browser().get("/dashboard/keys/" + keyId + "/delete");
        assertThat(shop.browser().submit("/dashboard/keys/" + keyId + "/delete").statusCode()).isEqualTo(303);
        shop.browser().get("/dashboard/keys");

        HttpResponse<String> refused = shop.browser().submit("/dashboard/keys/" + keyId + "/rotate", "grace", "24h");

        assertThat(refused.statusCode()).isBetween(400, 499);
        assertThat(text(refused.body())).contains("only a working key can be rotated");
        assertThat(rotationRequests(shop.accountId())).isZero();
    }

    /**
     * Found by this test: {@code Rotations.confirm} checks that the request is pending, not that its
     * key still works, so a key deleted after its code was mailed is replaced by a new working key.
     */
    @Test
    void confirmWhenKeyDeletedAfterTheRequestThenRefusedAndNoNewKey() {
        Shop shop = signUp();
        String keyId = keyId(shop.secret());
        Rotation rotation = requestRotation(shop, keyId, "24h");
        shop.browser().get("/dashboard/keys/" + keyId + "/delete");
        assertThat(shop.browser().submit("/dashboard/keys/" + keyId + "/delete").statusCode()).isEqualTo(303);

        HttpResponse<String> confirmed = confirm(shop, rotation);

        assertThat(confirmed.statusCode()).isNotEqualTo(201);
        assertThat(keyValues(confirmed)).isEmpty();
        assertThat(server.store().listKeys(shop.accountId())).hasSize(2);
    }

    // ---- where the code may be ----

    @Test
    void codeNeverInALogLineOrAPageAndTheDatabaseKeepsOnlyItsDigestOnceTheMailIsSent() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.setContext(logging);
        lines.start();
        root.addAppender(lines);
        root.setLevel(Level.DEBUG);
        // The access log has an appender of its own and does not pass its lines to the root's.
        Logger access = logging.getLogger("keygate.access");
        access.addAppender(lines);
        List<String> codes = new ArrayList<>();
        Shop shop;
        try {
            shop = signUp();
            String keyId = keyId(shop.secret());
            Rotation voided = requestRotation(shop, keyId, "24h");
            codes.add(voided.code());
            for (int i = 0; i < 5; i++) {
                confirm(shop, new Rotation(voided.id(), wrong(voided.code())));
            }
            confirm(shop, voided);
            Rotation rotation = requestRotation(shop, keyId, "24h");
            codes.add(rotation.code());
            confirm(shop, new Rotation(rotation.id(), wrong(rotation.code())));
            assertThat(confirm(shop, rotation).statusCode()).isEqualTo(201);
            confirm(shop, rotation);
            for (Rotation done : List.of(voided, rotation)) {
                assertThat(poll(MAIL_WAIT, () -> sentAt(done.id()), Optional::isPresent)).as("mail sent").isPresent();
            }
            // Keyed by the server's secret, which is beside the database, not in it: a bare SHA-256
            // of a 6-digit code would be reversed by anyone who reads the database.
            ServerSecret secret = new ServerSecret(Base64.getDecoder().decode(
                    Files.readString(server.dataDir().resolve("server-secret")).strip()), new SecureRandom());
            for (Rotation done : List.of(voided, rotation)) {
                assertThat(codeDigest(done.id()))
                        .isEqualTo(secret.hmacHex("rotation code", done.id() + ":" + done.code()))
                        .isNotEqualTo(Sha256.hex(done.id() + ":" + done.code()));
            }
        } finally {
            root.detachAppender(lines);
            access.detachAppender(lines);
            root.setLevel(level);
        }

        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).as("log lines").isNotEmpty().anySatisfy(line -> assertThat(line).contains("/dashboard/rotations/"));
        for (String code : codes) {
            assertThat(logged).as("log lines").noneSatisfy(line -> assertThat(line).contains(code));
            for (HttpResponse<String> page : shop.browser().received()) {
                assertThat(page.body()).as("page %s", page.uri()).doesNotContain(code);
                assertThat(page.headers().map().toString()).doesNotContain(code);
            }
            assertThat(textColumns()).as("text in the database").noneSatisfy(value -> assertThat(value).contains(code));
        }
    }

    /**
     * Found by this test: the outbox's body (with the code) is overwritten by {@code UPDATE … SET
     * body = ''}, but SQLite kept the old row's bytes in the WAL file (and in freed page space): the
     * code was found in {@code keygate.db-wal} after the mail was sent. The outbox now holds the
     * mail sealed under the server secret, so the code is never written to the database at all.
     */
    @Test
    void codeNotInTheDatabaseFilesOnceTheMailIsSent() throws Exception {
        Shop shop = signUp();
        Rotation rotation = requestRotation(shop, keyId(shop.secret()), "24h");
        assertThat(poll(MAIL_WAIT, () -> shop.browser().get("/dashboard/rotations/" + rotation.id()).body(),
                body -> body.contains("mail: sent"))).contains("mail: sent");

        for (Path file : databaseFiles()) {
            byte[] bytes = Files.readAllBytes(file);
            int at = indexOf(bytes, rotation.code().getBytes(StandardCharsets.US_ASCII));
            assertThat(at).as("the code in %s: %s", file.getFileName(), at < 0 ? ""
                    : new String(bytes, Math.max(0, at - 80), Math.min(bytes.length - Math.max(0, at - 80), 120),
                            StandardCharsets.ISO_8859_1)).isEqualTo(-1);
        }
    }

    // ---- steps ----

    private static Shop signUp() {
        DashboardClient browser = new DashboardClient(server);
        String email = newEmail();
        HttpResponse<String> created = browser.signUp(email);
        return new Shop(browser, email, keyValue(created.body(), "sk_test_"), keyValue(created.body(), "pk_test_"));
    }

    private static void logIn(Shop shop) {
        HttpResponse<String> in = shop.browser().logIn(shop.email(), PASSWORD);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(303);
        shop.browser().get("/dashboard/keys");
    }

    /** Opens the rotation form, asks for a code, and reads the code from the mail that arrives. */
    private static Rotation requestRotation(Shop shop, String keyId, String grace) {
        assertThat(shop.browser().get("/dashboard/keys/" + keyId + "/rotate").statusCode()).isEqualTo(200);
        Set<Path> before = new HashSet<>(codeMails(shop.email()).stream().map(Outbox.Mail::file).toList());
        String id = rotationId(shop.browser().submit("/dashboard/keys/" + keyId + "/rotate", "grace", grace));
        List<Outbox.Mail> arrived = poll(MAIL_WAIT, () -> codeMails(shop.email()).stream()
                .filter(mail -> !before.contains(mail.file())).toList(), mails -> !mails.isEmpty());
        assertThat(arrived).as("the code's mail to %s", shop.email()).hasSize(1);
        return new Rotation(id, code(arrived.get(0).text()), arrived.get(0).text());
    }

    /** Opens the code page and enters {@code rotation}'s code. */
    private static HttpResponse<String> confirm(Shop shop, Rotation rotation) {
        shop.browser().get("/dashboard/rotations/" + rotation.id());
        return shop.browser().submit("/dashboard/rotations/" + rotation.id(), "code", rotation.code());
    }

    private static List<Outbox.Mail> codeMails(String email) {
        return Outbox.mails(server.dataDir()).stream()
                .filter(mail -> mail.to().equalsIgnoreCase(email))
                .filter(mail -> mail.subject().startsWith(RotationPages.CODE_SUBJECT))
                .toList();
    }

    private static String keyId(String value) {
        return server.store().findCredential(KeyDigest.of(ApiKey.parse(value))).orElseThrow().key().id();
    }

    private static List<String> keyValues(HttpResponse<String> page) {
        return DashboardClient.keyValues(page.body());
    }

    /** The audit page's rows, each as its cells' text. */
    private static List<String> auditRows(Shop shop) {
        List<String> rows = new ArrayList<>();
        Matcher row = AUDIT_ROW.matcher(shop.browser().get("/dashboard/audit").body());
        while (row.find()) {
            rows.add(text(row.group(1)));
        }
        return rows;
    }

    // ---- the database, read past the server ----

    private static int rotationRequests(String accountId) {
        return Integer.parseInt(query("SELECT COUNT(*) FROM rotation_requests WHERE account_id = ?", accountId).get(0));
    }

    /** When the rotation's mail left the outbox. */
    private static Optional<String> sentAt(String rotationId) {
        return Optional.ofNullable(query("SELECT sent_at FROM mail_outbox WHERE rotation_id = ?", rotationId).get(0));
    }

    private static String codeDigest(String rotationId) {
        return query("SELECT code_digest FROM rotation_requests WHERE id = ?", rotationId).get(0);
    }

    /** Every text value of every table. */
    private static List<String> textColumns() {
        List<String> values = new ArrayList<>();
        for (String table : query("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            try (Connection connection = database();
                    PreparedStatement select = connection.prepareStatement("SELECT * FROM \"" + table + "\"");
                    ResultSet rows = select.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object value = rows.getObject(i);
                        if (value instanceof String text) {
                            values.add(text);
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return values;
    }

    /** The first column of each row, as text. */
    private static List<String> query(String sql, String... parameters) {
        try (Connection connection = database(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("keygate.db").toAbsolutePath());
    }

    /** The database file and its WAL. */
    private static List<Path> databaseFiles() throws IOException {
        try (Stream<Path> files = Files.list(server.dataDir())) {
            return files.filter(f -> f.getFileName().toString().startsWith("keygate.db")).sorted().toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
