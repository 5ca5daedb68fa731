package dev.keygate.server;

import dev.keygate.server.testing.TestServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The mails a {@link TestServer} wrote to {@code <data dir>/outbox} (no SMTP is configured there),
 * read as a mail client reads them: MIME-parsed, so quoted-printable or base64 bodies come back as
 * plain text.
 *
 * <pre>{@code
 * String link = Outbox.verificationLink(server.dataDir(), email);
 * }</pre>
 */
final class Outbox {

    private static final Pattern VERIFY_LINK = Pattern.compile("https://\\S+/dashboard/verify\\?token=[0-9A-Za-z]+");
    private static final Session MAIL = Session.getInstance(new Properties());

    /** A mail as received: to whom, about what, and its decoded text. */
    record Mail(Path file, String to, String subject, String text) {}

    private Outbox() {}

    /** Every mail in the outbox, oldest first (file names start with the time written). */
    static List<Mail> mails(Path dataDir) {
        Path outbox = dataDir.resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".eml"))
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(file -> file.getFileName().toString()))
                    .map(Outbox::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest mail to {@code email}. */
    static Optional<Mail> newest(Path dataDir, String email) {
        List<Mail> mails = mails(dataDir).stream().filter(mail -> mail.to().equalsIgnoreCase(email)).toList();
        return mails.isEmpty() ? Optional.empty() : Optional.of(mails.get(mails.size() - 1));
    }

    /** The verification link of the newest mail to {@code email}. */
    static String verificationLink(Path dataDir, String email) {
        Mail mail = newest(dataDir, email).orElseThrow(() -> new AssertionError("no mail to " + email));
        Matcher link = VERIFY_LINK.matcher(mail.text());
        if (!link.find()) {
            throw new AssertionError("no verification link in " + mail.file() + ":\n" + mail.text());
        }
        return link.group();
    }

    private static Mail read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage message = new MimeMessage(MAIL, in);
            Address[] to = message.getAllRecipients();
            Object content = message.getContent();
            if (!(content instanceof String text)) {
                throw new AssertionError("expected a text/plain mail in " + file + ", got " + message.getContentType());
            }
            return new Mail(file, to == null || to.length == 0 ? "" : ((InternetAddress) to[0]).getAddress(),
                    message.getSubject(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new AssertionError("could not parse " + file, e);
        }
    }
}
