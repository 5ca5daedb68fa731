package dev.keygate.mail;

import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/** Turns a {@link Mail} into a MIME message; the one place both senders build their messages. */
final class MimeMails {

    private static final String UTF_8 = StandardCharsets.UTF_8.name();
    /** Line breaks and other control characters in a subject could start a header of their own. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]+");

    private MimeMails() {}

    /** Parses a configured From address, such as {@code Keygate <no-reply@example.com>}. */
    static InternetAddress fromAddress(String from) {
        Objects.requireNonNull(from, "from");
        try {
            InternetAddress address = new InternetAddress(from, true);
            address.validate();
            return address;
        } catch (AddressException e) {
            throw new IllegalArgumentException("Invalid From address '" + from + "': " + e.getMessage());
        }
    }

    /** Session properties both senders share. */
    static Properties baseProperties(InternetAddress from) {
        Properties properties = new Properties();
        // The Message-ID's domain comes from here, instead of a look-up of this machine's name.
        properties.setProperty("mail.from", from.getAddress());
        return properties;
    }

    static MimeMessage toMessage(Session session, InternetAddress from, Mail mail, Instant sentAt) {
        Objects.requireNonNull(mail, "mail");
        InternetAddress to;
        try {
            to = new InternetAddress(mail.to(), true);
            to.validate();
        } catch (AddressException e) {
            throw new MailException("Invalid recipient address: " + e.getClass().getSimpleName(), e);
        }
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, to);
            message.setSubject(CONTROL.matcher(mail.subject()).replaceAll(" ").strip(), UTF_8);
            message.setSentDate(Date.from(sentAt));
            message.setText(mail.text(), UTF_8);
            message.saveChanges();
            return message;
        } catch (MessagingException e) {
            throw new MailException("Could not build the mail: " + e.getClass().getSimpleName(), e);
        }
    }
}
