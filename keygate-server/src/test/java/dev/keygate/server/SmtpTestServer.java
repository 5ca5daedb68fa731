package dev.keygate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.server.runtime.Config;
import dev.keygate.server.runtime.Keygate;
import dev.keygate.server.testing.TestServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Keygate in this JVM whose mail goes over SMTP ({@code KEYGATE_SMTP_URL}) to a GreenMail server
 * started here, which a test may stop and start again on the same port to play a mail outage. The
 * server's clock is a {@link MutableClock} at {@link TestServer#START}; its HTTPS client trusts only
 * the certificate the server generated.
 *
 * <pre>{@code
 * try (SmtpTestServer server = SmtpTestServer.start()) {
 *     WebSession browser = server.browser();
 *     List<SmtpTestServer.Received> mails = server.received("owner@example.com");
 * }
 * }</pre>
 */
final class SmtpTestServer implements AutoCloseable {

    /** A mail as GreenMail received it. */
    record Received(String to, String subject, String text) {}

    private final int smtpPort;
    private GreenMail smtp;
    private final Path dataDir;
    private final MutableClock clock = new MutableClock(TestServer.START);
    private final Keygate keygate;
    private final HttpClient client;

    private SmtpTestServer() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        smtpPort = smtp.getSmtp().getPort();
        dataDir = Files.createTempDirectory("keygate-smtp-test-");
        Config config = new Config(dataDir, 0, OptionalInt.empty(), Optional.empty(), Optional.empty(),
                Optional.of(URI.create("smtp://127.0.0.1:" + smtpPort)), Optional.empty(), Optional.empty(),
                RateLimiter.DEFAULT_LIMIT);
        keygate = Keygate.start(config, clock);
        client = KeygateProcess.clientTrusting(dataDir);
    }

    static SmtpTestServer start() {
        try {
            return new SmtpTestServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the mail server ----

    /** Stops the SMTP server: connections to its port are refused. */
    synchronized void stopSmtp() {
        smtp.stop();
    }

    /** Starts a new, empty SMTP server on the port of the first. */
    synchronized void startSmtp() {
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    int smtpPort() {
        return smtpPort;
    }

    /** What the running SMTP server received for {@code email}, oldest first. */
    synchronized List<Received> received(String email) {
        return Arrays.stream(smtp.getReceivedMessages())
                .map(SmtpTestServer::read)
                .filter(mail -> mail.to().equalsIgnoreCase(email))
                .toList();
    }

    /** The verification link of the newest mail received for {@code email}. */
    String verificationLink(String email) {
        List<Received> mails = received(email);
        assertThat(mails).as("mails received for %s", email).isNotEmpty();
        Matcher link = Pattern.compile("https://\\S+/dashboard/verify\\?token=[0-9A-Za-z]+")
                .matcher(mails.getLast().text());
        assertThat(link.find()).as("a verification link in %s", mails.getLast().text()).isTrue();
        return link.group();
    }

    private static Received read(MimeMessage message) {
        try {
            Address[] to = message.getAllRecipients();
            return new Received(to == null || to.length == 0 ? "" : ((InternetAddress) to[0]).getAddress(),
                    message.getSubject(), String.valueOf(message.getContent()));
        } catch (MessagingException e) {
            throw new AssertionError("could not read a received mail", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- Keygate ----

    MutableClock clock() {
        return clock;
    }

    Instant now() {
        return clock.instant();
    }

    Keygate keygate() {
        return keygate;
    }

    Path dataDir() {
        return dataDir;
    }

    URI base() {
        return URI.create("https://localhost:" + keygate.httpsPort());
    }

    /** A new browser session on the dashboard. */
    WebSession browser() {
        return new WebSession(base(), client, this::verificationLink);
    }

    /** {@code GET /api/v1/ping} with {@code key} as the bearer token, and {@code moreHeaders} (name, value, …). */
    HttpResponse<String> ping(String key, String... moreHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve("/api/v1/ping"))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(10));
        if (moreHeaders.length > 0) {
            request.headers(moreHeaders);
        }
        return TestServer.send(client, request);
    }

    @Override
    public synchronized void close() {
        try {
            keygate.close();
        } finally {
            smtp.stop();
            client.close();
            TestServer.deleteRecursively(dataDir);
        }
    }
}
