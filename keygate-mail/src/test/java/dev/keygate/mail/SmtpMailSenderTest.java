package dev.keygate.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailException;
import dev.keygate.core.testing.MutableClock;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpMailSenderTest {

    static final String USER = "keygate";
    /** Characters that must be %-encoded in a URL, to prove the password is decoded. */
    static final String PASSWORD = "s3cr:t@p/ss+wörd";
    static final String BODY = "Café ✓ 123456\nThe code expires in 10 minutes.";
    static final Duration SHORT = Duration.ofMillis(500);

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("keygate@localhost", USER, PASSWORD));

    @RegisterExtension
    static final GreenMailExtension smtps = new GreenMailExtension(ServerSetupTest.SMTPS.dynamicPort());

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:15:00Z"));

    @Test
    void sendWhenCredentialsAndServerOffersNoStartTlsThenRefusedAndPasswordNeverSent() {
        // An attacker in the path can strip the server's STARTTLS offer: with credentials, TLS is required.
        int port = smtp.getSmtp().getPort();
        SmtpMailSender sender = new SmtpMailSender(url("smtp", USER, PASSWORD, port), MailSenders.DEFAULT_FROM, SHORT, clock);

        MailException e = catchThrowableOfType(MailException.class, () -> sender.send(new Mail("ada@example.com", "Code", BODY)));

        assertThat(e.getMessage()).contains("127.0.0.1:" + port);
        assertThat(causes(e)).anySatisfy(cause -> assertThat(cause.getMessage()).contains("STARTTLS"));
        assertNoSecrets(e, PASSWORD);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void sendWithoutCredentialsThenSentWithoutAuthentication() throws Exception {
        SmtpMailSender sender = new SmtpMailSender(URI.create("smtp://127.0.0.1:" + smtp.getSmtp().getPort()),
                "Keygate <no-reply@keygate.example>");

        sender.send(new Mail("bob@example.com", "Hello", "plain text"));

        MimeMessage message = smtp.getReceivedMessages()[0];
        assertThat(message.getFrom()).containsExactly(new InternetAddress("no-reply@keygate.example", "Keygate"));
        assertThat(((String) message.getContent()).strip()).isEqualTo("plain text");
    }

    @Test
    void sendWhenServerDownThenMailExceptionQuickly() throws IOException {
        int port = freePort();
        SmtpMailSender sender = new SmtpMailSender(url("smtp", USER, PASSWORD, port), MailSenders.DEFAULT_FROM, SHORT, clock);

        long start = System.nanoTime();
        MailException e = catchThrowableOfType(MailException.class, () -> sender.send(new Mail("ada@example.com", "Code", BODY)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(e.getMessage()).contains("127.0.0.1:" + port).contains("MailConnectException");
        assertNoSecrets(e, PASSWORD);
    }

    @Test
    void sendWhenServerNeverAnswersThenReadTimeoutRespected() throws IOException {
        // The kernel completes the TCP handshake for the backlog; nobody ever writes the SMTP greeting.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SmtpMailSender sender = new SmtpMailSender(url("smtp", USER, PASSWORD, silent.getLocalPort()),
                    MailSenders.DEFAULT_FROM, SHORT, clock);

            long start = System.nanoTime();
            MailException e = catchThrowableOfType(MailException.class, () -> sender.send(new Mail("ada@example.com", "Code", BODY)));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(SHORT.minusMillis(50), Duration.ofSeconds(3));
            assertThat(e.getMessage()).contains(":" + silent.getLocalPort()).contains("SocketTimeoutException");
            assertNoSecrets(e, PASSWORD);
        }
    }

    @Test
    void sendOverSmtpsWhenCertificateUntrustedThenRefused() {
        // GreenMail's certificate is self-signed: TLS verification must not be switched off.
        int port = smtps.getSmtps().getPort();
        SmtpMailSender sender = new SmtpMailSender(url("smtps", USER, PASSWORD, port), MailSenders.DEFAULT_FROM, SHORT, clock);

        MailException e = catchThrowableOfType(MailException.class, () -> sender.send(new Mail("ada@example.com", "Code", BODY)));

        assertThat(e.getMessage()).contains("127.0.0.1:" + port);
        assertThat(causes(e)).anyMatch(SSLException.class::isInstance);
        assertNoSecrets(e, PASSWORD);
        assertThat(smtps.getReceivedMessages()).isEmpty();
    }

    @Test
    void sendWhenRecipientInvalidThenMailExceptionAndNothingSent() {
        SmtpMailSender sender = new SmtpMailSender(url("smtp", USER, PASSWORD, smtp.getSmtp().getPort()),
                MailSenders.DEFAULT_FROM, SHORT, clock);

        assertThatThrownBy(() -> sender.send(new Mail("not an address", "Code", BODY)))
                .isInstanceOf(MailException.class)
                .hasMessageContaining("recipient");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void toStringMasksPassword() {
        SmtpMailSender sender = new SmtpMailSender(url("smtp", USER, PASSWORD, 2525));

        assertThat(sender.toString())
                .isEqualTo("SmtpMailSender[smtp://keygate:****@127.0.0.1:2525, from=Keygate <no-reply@localhost>]")
                .doesNotContain("s3cr");
        assertThat(new SmtpMailSender(URI.create("smtps://mail.example.com")).toString())
                .contains("smtps://mail.example.com:465");
    }

    @Test
    void mailToStringLeavesOutBody() {
        assertThat(new Mail("ada@example.com", "Your code", BODY).toString())
                .contains("ada@example.com", "Your code")
                .doesNotContain("123456");
    }

    @Test
    void constructorWhenUrlInvalidThenIllegalArgumentWithoutPassword() {
        for (String url : new String[] {
                "http://keygate:hunter2@mail.example.com:25",
                "smtp://keygate:hunter2@mail.example.com:0",
                "smtp://keygate:hunter2@mail.example.com:70000",
                "smtp://keygate:hunter2@/",
                "smtp://keygate:hunter2@mail.example.com/path",
                "smtp://keygate:hunter2@mail.example.com?starttls=off",
                "smtp:keygate:hunter2@mail.example.com",
                "smtp://:hunter2@mail.example.com"}) {
            assertThatThrownBy(() -> new SmtpMailSender(URI.create(url)), url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void constructorWhenFromInvalidThenIllegalArgument() {
        assertThatThrownBy(() -> new SmtpMailSender(URI.create("smtp://localhost"), "not an address"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("From");
    }

    static URI url(String scheme, String user, String password, int port) {
        return URI.create(scheme + "://" + encode(user) + ":" + encode(password) + "@127.0.0.1:" + port);
    }

    /** %-encodes for a URL's user info ({@link URLEncoder} is form encoding, whose space is '+'). */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void assertNoSecrets(Throwable e, String password) {
        // The whole chain: the server logs the stack trace of what it could not send.
        for (Throwable t : causes(e)) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(password).doesNotContain("123456");
            assertThat(t.toString()).doesNotContain(password);
        }
    }

    static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String normalizeLines(String text) {
        return text.replace("\r\n", "\n").stripTrailing();
    }
}
