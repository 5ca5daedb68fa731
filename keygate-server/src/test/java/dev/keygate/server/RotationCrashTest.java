package dev.keygate.server;

import static dev.keygate.server.DashboardClient.newEmail;
import static dev.keygate.server.RotationPages.rotationId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.rotation.RotationRequest;
import dev.keygate.server.testing.TestServer;
import dev.keygate.store.jdbc.Database;
import dev.keygate.store.sqlite.SqliteStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotation is one transaction (SPEC section 6, issue 5): {@code keygate serve} runs in its own
 * process on a temporary data directory, 20 rotations wait for their codes, the codes are entered
 * at once and the process is killed ({@code kill -9}) while they are being confirmed. Then the
 * database, opened directly, must hold each rotation either complete (request used, new key, old
 * key's expiry, audit event) or absent (request pending, none of those), and every rotation the
 * server answered {@code 201} for must be complete.
 */
class RotationCrashTest {

    private static final Pattern LISTENING = Pattern.compile("Keygate listening on https://localhost:(\\d+)");
    private static final int ACCOUNTS = 4;
    /** The hourly cap: 5 codes per account, one for each of its keys. */
    private static final int KEYS_PER_ACCOUNT = 5;
    /** Confirmations start this far apart: several are in flight when the kill comes. */
    private static final long SPACING_MILLIS = 4;
    /** Answers received before the kill. */
    private static final int KILL_AFTER = 5;

    @TempDir
    Path dataDir;

    private Process process;

    /** One rotation waiting for its code. */
    private record Pending(String email, WebSession browser, String keyName, String keyId, String rotationId) {}

    @AfterEach
    void killServer() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void killedWhileConfirmingRotationsThenEachRotationIsCompleteOrAbsent() throws Exception {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        URI base = URI.create("https://localhost:" + serve(log));
        HttpClient client = KeygateProcess.clientTrusting(dataDir);

        // 20 rotations, 5 in each of 4 accounts (the hourly cap), one per key, keys told apart by name.
        List<Pending> pending = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(24);
        try {
            List<Future<List<Pending>>> accounts = new ArrayList<>();
            for (int a = 0; a < ACCOUNTS; a++) {
                accounts.add(pool.submit(() -> prepare(new WebSession(base, client,
                        email -> Outbox.verificationLink(dataDir, email)), newEmail())));
            }
            for (Future<List<Pending>> account : accounts) {
                pending.addAll(account.get());
            }
            Map<String, String> codes = codes(pending);

            // Confirm all at once, spread over a few hundred milliseconds, and kill the server among them.
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger answered = new AtomicInteger();
            Map<String, Integer> statuses = new ConcurrentHashMap<>();
            List<Future<?>> confirmations = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Pending rotation = pending.get(i);
                long delay = i * SPACING_MILLIS;
                confirmations.add(pool.submit(() -> {
                    start.await();
                    Thread.sleep(delay);
                    try {
                        HttpResponse<String> response = rotation.browser().submit(
                                "/dashboard/rotations/" + rotation.rotationId(), "code", codes.get(rotation.rotationId()));
                        statuses.put(rotation.rotationId(), response.statusCode());
                        answered.incrementAndGet();
                    } catch (UncheckedIOException killed) {
                        // No answer: the server died first.
                    }
                    return null;
                }));
            }
            start.countDown();
            while (answered.get() < KILL_AFTER) {
                Thread.onSpinWait();
            }
            process.destroyForcibly();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            for (Future<?> confirmation : confirmations) {
                confirmation.get(30, TimeUnit.SECONDS);
            }
            assertThat(statuses.values()).as("answers before the kill").allSatisfy(status ->
                    assertThat(status).isEqualTo(201));

            // The database, opened as the next start would open it.
            int complete = 0;
            int absent = 0;
            try (Database stores = SqliteStores.open(dataDir.resolve("keygate.db"))) {
                for (Pending rotation : pending) {
                    if (checkCompleteOrAbsent(stores, rotation)) {
                        complete++;
                    } else {
                        absent++;
                        assertThat(statuses).as("%s was answered 201 but is not in the database", rotation.rotationId())
                                .doesNotContainKey(rotation.rotationId());
                    }
                }
            }
            assertThat(complete).as("rotations complete").isGreaterThanOrEqualTo(statuses.size());
            assertThat(absent).as("rotations the kill came before: the kill fell among the confirmations")
                    .isPositive();
            String serverLog = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(codes.values()).noneSatisfy(code -> assertThat(serverLog).contains(code));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Signs up, creates 5 keys and asks for a code for each; returns the rotations. */
    private static List<Pending> prepare(WebSession browser, String email) {
        browser.signUp(email);
        for (int k = 1; k <= KEYS_PER_ACCOUNT; k++) {
            HttpResponse<String> created = browser.submit("/dashboard/keys", "type", "secret", "name", "k" + k);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        Map<String, String> idsByName = new HashMap<>();
        for (RotationPages.KeyRow row : RotationPages.keyRows(browser.get("/dashboard/keys").body())) {
            idsByName.put(row.name(), row.id());
        }
        List<Pending> rotations = new ArrayList<>();
        for (int k = 1; k <= KEYS_PER_ACCOUNT; k++) {
            String keyId = idsByName.get("k" + k);
            String rotationId = rotationId(browser.submit("/dashboard/keys/" + keyId + "/rotate", "grace", "24h"));
            rotations.add(new Pending(email, browser, "k" + k, keyId, rotationId));
        }
        return rotations;
    }

    /** Each rotation's code, from the outbox's mails (one per account and key name). */
    private Map<String, String> codes(List<Pending> pending) {
        List<Outbox.Mail> mails = TestServer.poll(Duration.ofSeconds(20), () -> Outbox.mails(dataDir).stream()
                .filter(mail -> mail.subject().startsWith(RotationPages.CODE_SUBJECT)).toList(),
                found -> found.size() >= pending.size());
        assertThat(mails).as("code mails in the outbox").hasSize(pending.size());
        Map<String, String> codes = new HashMap<>();
        for (Pending rotation : pending) {
            List<Outbox.Mail> own = mails.stream()
                    .filter(mail -> mail.to().equalsIgnoreCase(rotation.email()))
                    .filter(mail -> mail.subject().endsWith("rotate " + rotation.keyName()))
                    .toList();
            assertThat(own).as("the code of %s", rotation).hasSize(1);
            codes.put(rotation.rotationId(), RotationPages.code(own.get(0).text()));
        }
        return codes;
    }

    /**
     * Checks that the rotation is either complete or absent in the database.
     *
     * @return true if complete
     */
    private boolean checkCompleteOrAbsent(Database stores, Pending rotation) {
        RotationRequest request = stores.rotations().findRequest(rotation.rotationId()).orElseThrow();
        String accountId = request.accountId();
        KeyRecord old = stores.keys().findKey(rotation.keyId()).orElseThrow();
        List<KeyRecord> replacements = stores.keys().listKeys(accountId).stream()
                .filter(key -> key.name().equals(rotation.keyName()) && !key.id().equals(rotation.keyId()))
                .toList();
        List<AuditEvent> rotated = stores.dashboard().listAudit(accountId, 1_000).stream()
                .filter(event -> event.action().equals("key.rotated"))
                .filter(event -> event.keyId().equals(Optional.of(rotation.keyId())))
                .toList();
        Optional<String> newKeyId = newKeyId(rotation.rotationId());
        String described = rotation + " found " + request + ", old key expires " + old.expiresAt() + ", replacements "
                + replacements.stream().map(KeyRecord::id).toList() + ", audit " + rotated.size() + ", new_key_id "
                + newKeyId;
        if (request.state() == RotationRequest.State.USED) {
            assertThat(replacements).as(described).singleElement().satisfies(fresh -> {
                assertThat(newKeyId).as(described).contains(fresh.id());
                assertThat(fresh.type()).isEqualTo(old.type());
                assertThat(fresh.environment()).isEqualTo(old.environment());
                assertThat(fresh.expiresAt()).isEmpty();
            });
            assertThat(old.expiresAt()).as(described).isPresent();
            assertThat(rotated).as(described).hasSize(1);
            return true;
        }
        assertThat(request.state()).as(described).isEqualTo(RotationRequest.State.PENDING);
        // The one try may have been counted (a try counts before its code is compared) when the
        // process died before the confirming transaction: that is not half a rotation.
        assertThat(request.attempts()).as(described).isBetween(0, 1);
        assertThat(replacements).as(described).isEmpty();
        assertThat(newKeyId).as(described).isEmpty();
        assertThat(old.expiresAt()).as(described).isEmpty();
        assertThat(rotated).as(described).isEmpty();
        return false;
    }

    /** The request's {@code new_key_id} column, which the store's record does not carry. */
    private Optional<String> newKeyId(String rotationId) {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:sqlite:" + dataDir.resolve("keygate.db").toAbsolutePath());
                PreparedStatement query = connection.prepareStatement(
                        "SELECT new_key_id FROM rotation_requests WHERE id = ?")) {
            query.setString(1, rotationId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code keygate serve} on the data directory; returns its HTTPS port once it listens. */
    private int serve(Path log) throws IOException {
        process = KeygateProcess.command(List.of("serve"),
                        Map.of("KEYGATE_DATA_DIR", dataDir.toString(), "KEYGATE_HTTPS_PORT", "0"))
                .redirectError(log.toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keeps the pipe from filling up
                        }
                    } catch (IOException ended) {
                        // the process is gone
                    }
                }, "keygate-stdout");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(listening.group(1));
            }
        }
        throw new AssertionError("the server did not start: " + Files.readString(log));
    }
}
