package dev.keygate.mail;

import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailException;
import dev.keygate.core.mail.MailSender;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends mail over SMTP with Angus Mail, to the server of {@code KEYGATE_SMTP_URL} (SPEC section 10).
 *
 * <p>{@code smtp://[user[:password]@]host[:port]} (port 25 by default) upgrades to TLS with STARTTLS:
 * with a user and password it must (a server that does not offer STARTTLS is refused, so that the
 * password never crosses the network in the clear); without, when the server offers it.
 * {@code smtps://…} (port 465 by default) speaks TLS from the first byte.
 * Either way the server's certificate and host name are checked against the JVM's trust store.
 * User and password are %-decoded; with a user, the sender authenticates. Connecting, reading and
 * writing each give up after {@link #DEFAULT_TIMEOUT} unless told otherwise.
 *
 * <pre>{@code
 * MailSender mail = new SmtpMailSender(URI.create("smtp://keygate:s3cret@mail.example.com:587"),
 *         "Keygate <no-reply@example.com>");
 * mail.send(new Mail("ada@example.com", "Your code", "123456"));
 * }</pre>
 *
 * <p>One connection per mail; thread-safe. Blocking: call it off the event loop. Failures become a
 * {@link MailException} naming {@code host:port} and the cause's class, never the password or the
 * body; {@link #toString()} masks the password.
 */
public final class SmtpMailSender implements MailSender {

    /** How long connecting, and each read and write, may take: 5 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(SmtpMailSender.class);

    private final SmtpUrl url;
    private final InternetAddress from;
    private final Session session;
    private final Clock clock;

    /** A sender with the {@link MailSenders#DEFAULT_FROM} From address. */
    public SmtpMailSender(URI url) {
        this(url, MailSenders.DEFAULT_FROM);
    }

    /**
     * @param from the From address, such as {@code Keygate <no-reply@example.com>}
     * @throws IllegalArgumentException if the URL or the address is not valid; the message holds
     *     no password
     */
    public SmtpMailSender(URI url, String from) {
        this(url, from, DEFAULT_TIMEOUT, Clock.systemUTC());
    }

    /**
     * @param timeout for connecting, and for each read and write on the connection
     * @param clock gives each mail's {@code Date}
     */
    public SmtpMailSender(URI url, String from, Duration timeout, Clock clock) {
        this.url = SmtpUrl.parse(url);
        this.from = MimeMails.fromAddress(from);
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be positive and below 24 days: " + timeout);
        }
        this.session = Session.getInstance(properties(this.url, this.from, timeout));
    }

    private static Properties properties(SmtpUrl url, InternetAddress from, Duration timeout) {
        String prefix = "mail." + url.protocol() + ".";
        String millis = Long.toString(timeout.toMillis());
        Properties properties = MimeMails.baseProperties(from);
        properties.setProperty("mail.transport.protocol", url.protocol());
        properties.setProperty(prefix + "host", url.host());
        properties.setProperty(prefix + "port", Integer.toString(url.port()));
        properties.setProperty(prefix + "connectiontimeout", millis);
        properties.setProperty(prefix + "timeout", millis);
        properties.setProperty(prefix + "writetimeout", millis);
        properties.setProperty(prefix + "auth", Boolean.toString(url.hasCredentials()));
        properties.setProperty(prefix + "ssl.checkserveridentity", "true");
        if (url.protocol().equals("smtp")) {
            // Without credentials, opportunistic: TLS when the server offers it. With them, required:
            // a password must never cross the network in the clear, even if an attacker in the
            // path strips the server's STARTTLS offer.
            properties.setProperty(prefix + "starttls.enable", "true");
            properties.setProperty(prefix + "starttls.required", Boolean.toString(url.hasCredentials()));
        } else {
            properties.setProperty(prefix + "ssl.enable", "true");
        }
        return properties;
    }

    @Override
    public void send(Mail mail) {
        MimeMessage message = MimeMails.toMessage(session, from, mail, clock.instant());
        Transport transport = null;
        try {
            transport = session.getTransport(url.protocol());
            transport.connect(url.host(), url.port(), url.user(), url.password());
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            throw new MailException(failure(e), e);
        } finally {
            close(transport);
        }
        log.debug("Mail sent via {}", url.address());
    }

    private String failure(MessagingException e) {
        StringBuilder message = new StringBuilder("Could not send mail via SMTP server ")
                .append(url.address()).append(": ").append(e.getClass().getSimpleName());
        int reply = replyCode(e);
        if (reply > 0) {
            message.append(" (reply ").append(reply).append(')');
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            message.append(", caused by ").append(root.getClass().getSimpleName());
        }
        return message.toString();
    }

    private static int replyCode(MessagingException e) {
        // The server's reply text can quote the mail's addresses; its code is enough to tell the cause.
        return switch (e) {
            case SMTPSendFailedException failed -> failed.getReturnCode();
            case SMTPAddressFailedException failed -> failed.getReturnCode();
            case SMTPSenderFailedException failed -> failed.getReturnCode();
            default -> e.getNextException() instanceof MessagingException next && next != e ? replyCode(next) : -1;
        };
    }

    private void close(Transport transport) {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (MessagingException e) {
            // The mail went through or already failed; a QUIT that is not answered changes neither.
            log.debug("Closing the SMTP connection to {} failed: {}", url.address(), e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "SmtpMailSender[" + url + ", from=" + from.toUnicodeString() + "]";
    }
}
