package dev.keygate.mail;

import dev.keygate.core.mail.MailSender;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks Keygate's {@link MailSender} from configuration (SPEC section 10): SMTP when
 * {@code KEYGATE_SMTP_URL} is set, else {@code .eml} files in the outbox folder.
 *
 * <pre>{@code
 * Optional<URI> smtp = Optional.ofNullable(System.getenv("KEYGATE_SMTP_URL")).map(MailSenders::parseSmtpUrl);
 * MailSender mail = MailSenders.create(smtp, dataDir.resolve("outbox"), MailSenders.DEFAULT_FROM);
 * }</pre>
 */
public final class MailSenders {

    /** The From address unless configured otherwise. */
    public static final String DEFAULT_FROM = "Keygate <no-reply@localhost>";

    private MailSenders() {}

    /**
     * @param smtpUrl {@code smtp://[user[:password]@]host[:port]} or {@code smtps://…}; empty for
     *     the outbox
     * @param outboxDir where mails are written without SMTP, usually {@code <data dir>/outbox}
     * @param from the From address, such as {@link #DEFAULT_FROM}
     * @return an {@link SmtpMailSender} or an {@link OutboxMailSender}
     * @throws IllegalArgumentException if the URL or the address is not valid; the message holds no
     *     password
     */
    public static MailSender create(Optional<URI> smtpUrl, Path outboxDir, String from) {
        Objects.requireNonNull(smtpUrl, "smtpUrl");
        Objects.requireNonNull(outboxDir, "outboxDir");
        return smtpUrl.<MailSender>map(url -> new SmtpMailSender(url, from))
                .orElseGet(() -> new OutboxMailSender(outboxDir, from));
    }

    /**
     * Parses and checks a configured SMTP URL. Unlike {@link URI#create(String)}, whose message
     * quotes its input, the exception never holds the value, which may carry a password.
     *
     * @throws IllegalArgumentException if {@code value} is not a valid SMTP URL
     */
    public static URI parseSmtpUrl(String value) {
        return SmtpUrl.toUri(value);
    }
}
