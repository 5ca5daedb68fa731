package dev.keygate.mail;

import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailException;
import dev.keygate.core.mail.MailSender;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.eclipse.angus.mail.util.CRLFOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each mail as an RFC 5322 {@code .eml} file into a folder instead of sending it: Keygate's
 * mail when {@code KEYGATE_SMTP_URL} is unset, in {@code <data dir>/outbox} (SPEC section 10).
 *
 * <p>Files are named {@code 20261123T171500.123Z-<20 random hex digits>.eml} (UTC, to the
 * millisecond), so they sort by time and never collide. Each is written to a hidden temporary file,
 * flushed to disk and then renamed, so a reader never sees half a mail. On file systems with POSIX
 * permissions the folder is created {@code rwx------} and files are {@code rw-------}: they can hold
 * one-time codes. Any mail client opens them.
 *
 * <pre>{@code
 * OutboxMailSender outbox = new OutboxMailSender(dataDir.resolve("outbox"));
 * Path written = outbox.write(new Mail("ada@example.com", "Your code", "123456"));
 * }</pre>
 *
 * <p>Thread-safe. Blocking: call it off the event loop.
 */
public final class OutboxMailSender implements MailSender {

    private static final Logger log = LoggerFactory.getLogger(OutboxMailSender.class);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String SUFFIX = ".eml";
    private static final int RANDOM_BYTES = 10;
    private static final int ATTEMPTS = 5;

    private final Path directory;
    private final InternetAddress from;
    private final Clock clock;
    private final Session session;
    private final SecureRandom random = new SecureRandom();

    /** An outbox with the {@link MailSenders#DEFAULT_FROM} From address. */
    public OutboxMailSender(Path directory) {
        this(directory, MailSenders.DEFAULT_FROM);
    }

    /**
     * @param directory the folder, created on the first mail if missing
     * @param from the From address, such as {@code Keygate <no-reply@example.com>}
     * @throws IllegalArgumentException if the address is not valid
     */
    public OutboxMailSender(Path directory, String from) {
        this(directory, from, Clock.systemUTC());
    }

    /** @param clock gives each mail's {@code Date} and file name */
    public OutboxMailSender(Path directory, String from, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        this.from = MimeMails.fromAddress(from);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.session = Session.getInstance(MimeMails.baseProperties(this.from));
    }

    /** The folder mails are written to. */
    public Path directory() {
        return directory;
    }

    @Override
    public void send(Mail mail) {
        write(mail);
    }

    /**
     * Writes {@code mail} as a new {@code .eml} file.
     *
     * @return the file written
     * @throws MailException if the file could not be written; no file is left behind then
     */
    public Path write(Mail mail) {
        Instant now = clock.instant();
        MimeMessage message = MimeMails.toMessage(session, from, mail, now);
        Path temporary = null;
        try {
            boolean posix = createDirectory();
            temporary = posix
                    ? Files.createTempFile(directory, ".", ".tmp", ownerOnly("rw-------"))
                    : Files.createTempFile(directory, ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    // RFC 5322 lines end in CRLF, but writeTo keeps the body's bare LFs; Angus's
                    // SMTPTransport fixes them on the wire with this same stream.
                    OutputStream out = new CRLFOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)))) {
                message.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Path written = publish(temporary, now);
            temporary = null;
            log.info("Mail written to {}", written);
            return written;
        } catch (IOException | MessagingException e) {
            throw new MailException("Could not write mail to outbox " + directory + ": " + e.getClass().getSimpleName(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** Creates the folder if missing; tells whether the file system has POSIX permissions. */
    private boolean createDirectory() throws IOException {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(directory)) {
            if (posix) {
                Files.createDirectories(directory, ownerOnly("rwx------"));
            } else {
                Files.createDirectories(directory);
            }
        }
        return posix;
    }

    /** Moves the finished file to its final name in one step, never over another mail. */
    private Path publish(Path temporary, Instant now) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path target = directory.resolve(fileName(now));
            if (Files.exists(target)) {
                // 80 random bits make this all but impossible; the check keeps it from ever clobbering a mail.
                if (attempt < ATTEMPTS) {
                    continue;
                }
                throw new FileAlreadyExistsException(target.toString());
            }
            return Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private String fileName(Instant now) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return FILE_TIME.format(now) + "-" + HexFormat.of().formatHex(bytes) + SUFFIX;
    }

    /**
     * The mails written so far, oldest first (by file name); empty if the folder does not exist.
     *
     * @throws UncheckedIOException if the folder cannot be read
     */
    public List<Path> list() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(OutboxMailSender::isMail).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list outbox " + directory, e);
        }
    }

    private static boolean isMail(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) && !name.startsWith(".") && Files.isRegularFile(file);
    }

    private static FileAttribute<?> ownerOnly(String permissions) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete temporary outbox file {}: {}", file, e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "OutboxMailSender[" + directory + ", from=" + from.toUnicodeString() + "]";
    }
}
