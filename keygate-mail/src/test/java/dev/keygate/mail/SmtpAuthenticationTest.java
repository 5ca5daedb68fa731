package dev.keygate.mail;

import static dev.keygate.mail.SmtpMailSenderTest.BODY;
import static dev.keygate.mail.SmtpMailSenderTest.PASSWORD;
import static dev.keygate.mail.SmtpMailSenderTest.SHORT;
import static dev.keygate.mail.SmtpMailSenderTest.USER;
import static dev.keygate.mail.SmtpMailSenderTest.assertNoSecrets;
import static dev.keygate.mail.SmtpMailSenderTest.normalizeLines;
import static dev.keygate.mail.SmtpMailSenderTest.url;
import static org.assertj.core.api.Assertions.assertThat;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Authenticated sending over TLS, against a GreenMail whose certificate (made here, for
 * 127.0.0.1) this JVM trusts through {@code javax.net.ssl.trustStore}, as an operator trusts a
 * private CA through {@code KEYGATE_JAVA_OPTS}. The trust store is the JVM's, so this class runs
 * in a JVM of its own (keygate-mail's pom); the other mail tests check that an untrusted
 * certificate is refused.
 */
class SmtpAuthenticationTest {

    private static final String STORE_PASSWORD = "changeit";

    static {
        trustOwnCertificate();
    }

    @RegisterExtension
    static final GreenMailExtension smtps = new GreenMailExtension(ServerSetupTest.SMTPS.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("keygate@localhost", USER, PASSWORD));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:15:00Z"));

    @Test
    void sendWhenCredentialsRightThenServerReceivesUtf8Mail() throws Exception {
        SmtpMailSender sender = new SmtpMailSender(url("smtps", USER, PASSWORD, smtps.getSmtps().getPort()),
                MailSenders.DEFAULT_FROM, SHORT, clock);

        sender.send(new Mail("ada@example.com", "Your code ✓", BODY));

        MimeMessage[] received = smtps.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage message = received[0];
        assertThat(message.getRecipients(Message.RecipientType.TO))
                .containsExactly(new InternetAddress("ada@example.com"));
        assertThat(message.getFrom()).containsExactly(new InternetAddress("no-reply@localhost", "Keygate"));
        assertThat(message.getSubject()).isEqualTo("Your code ✓");
        assertThat(message.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(normalizeLines((String) message.getContent())).isEqualTo(BODY);
        assertThat(message.getSentDate().toInstant()).isEqualTo(clock.instant());
        assertThat(message.getMessageID()).endsWith("@localhost>");
    }

    @Test
    void sendWhenPasswordWrongThenMailExceptionWithoutPassword() {
        String wrong = "wrong-" + PASSWORD;
        int port = smtps.getSmtps().getPort();
        SmtpMailSender sender = new SmtpMailSender(url("smtps", USER, wrong, port), MailSenders.DEFAULT_FROM, SHORT, clock);

        MailException e = catchThrowableOfType(MailException.class, () -> sender.send(new Mail("ada@example.com", "Code", BODY)));

        assertThat(e.getMessage()).contains("127.0.0.1:" + port).contains("AuthenticationFailedException");
        assertNoSecrets(e, wrong);
        assertThat(smtps.getReceivedMessages()).isEmpty();
    }

    /** A key pair for GreenMail and a trust store holding only its certificate, set before any TLS is used. */
    private static void trustOwnCertificate() {
        try {
            Path dir = Files.createTempDirectory("keygate-smtp-tls-");
            Path server = dir.resolve("server.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "smtp", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", server.toString(),
                    "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(server)) {
                keys.load(in, STORE_PASSWORD.toCharArray());
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("smtp", keys.getCertificate("smtp"));
            Path trustFile = dir.resolve("trust.p12");
            try (OutputStream out = Files.newOutputStream(trustFile)) {
                trust.store(out, STORE_PASSWORD.toCharArray());
            }
            for (var property : List.of(
                    new String[] {"greenmail.tls.keystore.file", server.toString()},
                    new String[] {"greenmail.tls.keystore.password", STORE_PASSWORD},
                    new String[] {"greenmail.tls.key.password", STORE_PASSWORD},
                    new String[] {"javax.net.ssl.trustStore", trustFile.toString()},
                    new String[] {"javax.net.ssl.trustStorePassword", STORE_PASSWORD},
                    new String[] {"javax.net.ssl.trustStoreType", "PKCS12"})) {
                System.setProperty(property[0], property[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
