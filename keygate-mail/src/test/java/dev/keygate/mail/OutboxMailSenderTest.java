package dev.keygate.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.keygate.core.mail.Mail;
import dev.keygate.core.mail.MailException;
import dev.keygate.core.testing.MutableClock;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class OutboxMailSenderTest {

    private static final String BODY = "Café ✓ 123456\nThe code expires in 10 minutes.";

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:15:00.123Z"));

    @Test
    void sendWhenFolderMissingThenCreatesItAndWritesParseableEml() throws Exception {
        Path outbox = temp.resolve("data/outbox");
        OutboxMailSender sender = new OutboxMailSender(outbox, MailSenders.DEFAULT_FROM, clock);

        sender.send(new Mail("ada@example.com", "Your code ✓", BODY));

        List<Path> files = sender.list();
        assertThat(files).hasSize(1);
        Path file = files.getFirst();
        assertThat(file.getParent()).isEqualTo(outbox);
        assertThat(file.getFileName().toString()).matches("20261123T171500\\.123Z-[0-9a-f]{20}\\.eml");
        MimeMessage message = parse(file);
        assertThat(message.getRecipients(Message.RecipientType.TO))
                .containsExactly(new InternetAddress("ada@example.com"));
        assertThat(message.getFrom()).containsExactly(new InternetAddress("no-reply@localhost", "Keygate"));
        assertThat(message.getSubject()).isEqualTo("Your code ✓");
        assertThat(message.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(((String) message.getContent()).replace("\r\n", "\n")).isEqualTo(BODY);
        assertThat(message.getSentDate().toInstant()).isEqualTo(clock.instant().minusMillis(123));
        assertThat(message.getMessageID()).isNotBlank();
        assertThat(Files.readString(file)).as("RFC 5322 line ends").doesNotContainPattern("[^\\r]\\n");
    }

    @Test
    void sendThenFileAndFolderReadableByOwnerOnly() throws Exception {
        assumeThat(temp.getFileSystem().supportedFileAttributeViews()).contains("posix");
        Path outbox = temp.resolve("outbox");

        Path file = new OutboxMailSender(outbox, MailSenders.DEFAULT_FROM, clock).write(new Mail("ada@example.com", "Code", BODY));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outbox))).isEqualTo("rwx------");
    }

    @Test
    void sendTwiceAtSameInstantThenTwoFiles() throws Exception {
        OutboxMailSender sender = new OutboxMailSender(temp, MailSenders.DEFAULT_FROM, clock);

        Path first = sender.write(new Mail("ada@example.com", "First", "one"));
        Path second = sender.write(new Mail("ada@example.com", "Second", "two"));

        assertThat(first).isNotEqualTo(second);
        assertThat(sender.list()).containsExactlyInAnyOrder(first, second);
        assertThat(parse(first).getSubject()).isEqualTo("First");
        assertThat(parse(second).getSubject()).isEqualTo("Second");
    }

    @Test
    void listThenOldestFirst() {
        OutboxMailSender sender = new OutboxMailSender(temp, MailSenders.DEFAULT_FROM, clock);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            written.add(sender.write(new Mail("ada@example.com", "Mail " + i, "text")));
            clock.advance(Duration.ofMillis(1));
        }

        assertThat(sender.list()).containsExactlyElementsOf(written);
    }

    @Test
    void listWhenFolderMissingThenEmpty() {
        assertThat(new OutboxMailSender(temp.resolve("none")).list()).isEmpty();
    }

    @Test
    void sendConcurrentlyThenReadersNeverSeePartialFiles() throws Exception {
        OutboxMailSender sender = new OutboxMailSender(temp, MailSenders.DEFAULT_FROM, clock);
        String big = "Café ✓ 123456 ".repeat(5_000);
        int writers = 4;
        int perWriter = 10;
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            // A reader parses every file it can see while the writers are at work.
            Future<Integer> reader = pool.submit(() -> {
                Set<Path> checked = new HashSet<>();
                while (!done.get() || checked.size() < writers * perWriter) {
                    for (Path file : sender.list()) {
                        if (checked.add(file)) {
                            assertThat(((String) parse(file).getContent()).replace("\r\n", "\n")).isEqualTo(big);
                        }
                    }
                }
                return checked.size();
            });
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                writing.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        sender.send(new Mail("ada@example.com", "Big", big));
                    }
                }));
            }
            for (Future<?> future : writing) {
                future.get();
            }
            done.set(true);
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(writers * perWriter);
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> all = Files.list(temp)) {
            // No temporary files are left behind.
            assertThat(all.map(file -> file.getFileName().toString())).hasSize(writers * perWriter).allMatch(name -> name.endsWith(".eml"));
        }
    }

    @Test
    void sendWhenSubjectHasLineBreaksThenNoHeaderInjected() throws Exception {
        OutboxMailSender sender = new OutboxMailSender(temp, MailSenders.DEFAULT_FROM, clock);

        Path file = sender.write(new Mail("ada@example.com", "Welcome\r\nBcc: eve@example.com\nX-Evil: 1", "text"));

        MimeMessage message = parse(file);
        assertThat(message.getHeader("Bcc")).isNull();
        assertThat(message.getHeader("X-Evil")).isNull();
        assertThat(message.getAllRecipients()).containsExactly(new InternetAddress("ada@example.com"));
        assertThat(message.getSubject()).isEqualTo("Welcome Bcc: eve@example.com X-Evil: 1");
    }

    @Test
    void sendWhenRecipientInvalidThenMailExceptionAndNoFile() {
        OutboxMailSender sender = new OutboxMailSender(temp, MailSenders.DEFAULT_FROM, clock);

        for (String to : new String[] {"not an address", "ada@example.com\r\nBcc: eve@example.com", "a@example.com, b@example.com"}) {
            assertThatThrownBy(() -> sender.send(new Mail(to, "Code", BODY)), to).isInstanceOf(MailException.class);
        }
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void sendWhenOutboxIsAFileThenMailExceptionWithoutBody() throws IOException {
        Path notADirectory = Files.writeString(temp.resolve("outbox"), "in the way");
        OutboxMailSender sender = new OutboxMailSender(notADirectory, MailSenders.DEFAULT_FROM, clock);

        assertThatThrownBy(() -> sender.send(new Mail("ada@example.com", "Code", BODY)))
                .isInstanceOf(MailException.class)
                .hasMessageContaining(notADirectory.toString())
                .hasMessageNotContaining("123456");
    }

    @Test
    void sendThenLogsPathButNeverBody() {
        Logger logger = (Logger) LoggerFactory.getLogger(OutboxMailSender.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            Path file = new OutboxMailSender(temp, MailSenders.DEFAULT_FROM, clock).write(new Mail("ada@example.com", "Code", BODY));

            assertThat(appender.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel().toString()).isEqualTo("INFO");
                assertThat(event.getFormattedMessage()).contains(file.toString()).doesNotContain("123456");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void toStringNamesFolderAndFrom() {
        assertThat(new OutboxMailSender(temp, "Keygate <no-reply@keygate.example>").toString())
                .isEqualTo("OutboxMailSender[" + temp.toAbsolutePath() + ", from=Keygate <no-reply@keygate.example>]");
    }

    private static MimeMessage parse(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            message.getContent(); // decode while the stream is open
            return message;
        } catch (NoSuchFileException e) {
            throw new AssertionError("listed but gone: " + file, e);
        }
    }
}
