package dev.keygate.server;

import static dev.keygate.server.DashboardClient.keyValue;
import static dev.keygate.server.DashboardClient.newEmail;
import static dev.keygate.server.RotationPages.code;
import static dev.keygate.server.RotationPages.rotationId;
import static dev.keygate.server.RotationPages.text;
import static dev.keygate.server.testing.TestServer.header;
import static dev.keygate.server.testing.TestServer.poll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.keyformat.ApiKey;
import dev.keygate.server.testing.LogCapture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation codes over SMTP ({@code KEYGATE_SMTP_URL}) to a real SMTP server, GreenMail: the code
 * arrives by mail, and a mail server outage delays it without losing the rotation (issue 5): the
 * request still succeeds, the page says the mail is waiting, and the outbox delivers it once the
 * server is back.
 */
class RotationMailTest {

    /** Outbox delivery runs every second. */
    private static final Duration MAIL_WAIT = Duration.ofSeconds(15);

    private SmtpTestServer server;

    @BeforeEach
    void startServer() {
        server = SmtpTestServer.start();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void rotateThenCodeArrivesBySmtpAndCompletesTheRotation() {
        WebSession browser = server.browser();
        String email = newEmail();
        String secret = keyValue(browser.signUp(email).body(), "sk_test_");
        String keyId = keyIdOf(browser, secret);

        browser.get("/dashboard/keys/" + keyId + "/rotate");
        String rotationId = rotationId(browser.submit("/dashboard/keys/" + keyId + "/rotate", "grace", "1h"));
        List<SmtpTestServer.Received> mails = poll(MAIL_WAIT, () -> codeMails(email), found -> !found.isEmpty());

        assertThat(mails).as("code mails received by SMTP").hasSize(1);
        assertThat(mails.get(0).subject()).startsWith(RotationPages.CODE_SUBJECT);
        String code = code(mails.get(0).text());
        assertThat(poll(MAIL_WAIT, () -> text(browser.get("/dashboard/rotations/" + rotationId).body()),
                page -> page.contains("mail: sent"))).contains("mail: sent");
        assertThat(Files.exists(server.dataDir().resolve("outbox"))).as("no .eml outbox with SMTP").isFalse();

        browser.get("/dashboard/rotations/" + rotationId);
        HttpResponse<String> rotated = browser.submit("/dashboard/rotations/" + rotationId, "code", code);

        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        String fresh = keyValue(rotated.body(), "sk_test_");
        assertThat(server.ping(fresh).statusCode()).isEqualTo(200);
        HttpResponse<String> old = server.ping(secret);
        assertThat(old.statusCode()).isEqualTo(200);
        assertThat(header(old, "Sunset")).isPresent();
    }

    @Test
    void rotateWhileSmtpDownThenRequestSucceedsThePageSaysWaitingAndTheCodeArrivesOnceSmtpIsBack() {
        try (LogCapture lines = LogCapture.of(LogCapture.ROOT)) {
            WebSession browser = server.browser();
            String email = newEmail();
            String secret = keyValue(browser.signUp(email).body(), "sk_test_");
            String keyId = keyIdOf(browser, secret);
            server.stopSmtp();

            browser.get("/dashboard/keys/" + keyId + "/rotate");
            HttpResponse<String> requested = browser.submit("/dashboard/keys/" + keyId + "/rotate", "grace", "24h");
            String rotationId = rotationId(requested);

            // Delivery is tried and fails; the mail stays in the outbox and the page says so.
            assertThat(poll(MAIL_WAIT, () -> attempts(rotationId), tries -> tries >= 2)).isGreaterThanOrEqualTo(2);
            HttpResponse<String> waiting = browser.get("/dashboard/rotations/" + rotationId);
            assertThat(waiting.statusCode()).isEqualTo(200);
            assertThat(text(waiting.body())).contains("(mail: waiting; we keep trying, and if it has not arrived in a "
                    + "few minutes, ask for a new code).").doesNotContain("))");
            assertThat(waiting.body()).contains("name=\"code\"");
            assertThat(lines.messages()).anySatisfy(line -> assertThat(line).startsWith("could not send mail"));

            server.startSmtp();
            List<SmtpTestServer.Received> mails = poll(MAIL_WAIT, () -> codeMails(email), found -> !found.isEmpty());

            assertThat(mails).as("the code's mail, delivered at least once").isNotEmpty();
            String code = code(mails.get(0).text());
            assertThat(mails).allSatisfy(mail -> assertThat(code(mail.text())).isEqualTo(code));
            assertThat(poll(MAIL_WAIT, () -> text(browser.get("/dashboard/rotations/" + rotationId).body()),
                    page -> page.contains("mail: sent"))).contains("mail: sent");

            browser.get("/dashboard/rotations/" + rotationId);
            HttpResponse<String> rotated = browser.submit("/dashboard/rotations/" + rotationId, "code", code);

            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
            assertThat(server.ping(keyValue(rotated.body(), "sk_test_")).statusCode()).isEqualTo(200);
            assertThat(header(server.ping(secret), "Sunset")).isPresent();
            assertThat(lines.messages()).noneSatisfy(line -> assertThat(line).contains(code));
        }
    }

    private List<SmtpTestServer.Received> codeMails(String email) {
        return server.received(email).stream()
                .filter(mail -> mail.subject().startsWith(RotationPages.CODE_SUBJECT))
                .toList();
    }

    /** The key id of the row showing {@code value} masked. */
    private static String keyIdOf(WebSession browser, String value) {
        return RotationPages.keyRows(browser.get("/dashboard/keys").body()).stream()
                .filter(row -> row.masked().equals(ApiKey.mask(value)))
                .findFirst()
                .orElseThrow()
                .id();
    }

    /** Failed deliveries of the rotation's mail, read from the database. */
    private int attempts(String rotationId) {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:sqlite:" + server.dataDir().resolve("keygate.db").toAbsolutePath());
                PreparedStatement query = connection.prepareStatement(
                        "SELECT attempts FROM mail_outbox WHERE rotation_id = ?")) {
            query.setString(1, rotationId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
