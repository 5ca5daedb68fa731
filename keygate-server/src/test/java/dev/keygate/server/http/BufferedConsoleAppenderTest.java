package dev.keygate.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferedConsoleAppenderTest {

    private final LoggerContext context = new LoggerContext();
    private final Console console = new Console();
    private final BufferedConsoleAppender appender = new BufferedConsoleAppender(console);

    @AfterEach
    void stop() {
        console.release(); // a test that failed while holding the console must not hang the stop
        appender.stop();
    }

    @Test
    void stopWritesEveryLineWholeAndInOrderOfEachThread() throws Exception {
        start(60_000, 1 << 24);
        int threads = 4;
        int lines = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < lines; i++) {
                        appender.doAppend(event("thread " + thread + " line " + i));
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(written()).as("nothing written before the flush interval").isEmpty();

        appender.stop();

        List<String> written = written();
        assertThat(written).hasSize(threads * lines);
        for (int t = 0; t < threads; t++) {
            String prefix = "thread " + t + " line ";
            assertThat(written.stream().filter(line -> line.startsWith(prefix)).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, lines)
                            .mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void flushWritesWhatIsBufferedWithoutStopping() {
        start(60_000, 1 << 20);
        appender.doAppend(event("first"));
        appender.flush();
        appender.doAppend(event("second"));
        appender.flush();

        assertThat(written()).containsExactly("first", "second");
    }

    @Test
    void bufferedLinesReachTheConsoleWithinAFewFlushIntervals() {
        start(10, 1 << 20);
        appender.doAppend(event("soon"));

        awaitWritten(1);
        assertThat(written()).containsExactly("soon");
    }

    @Test
    void whenBufferHalfFullThenWrittenBeforeTheFlushInterval() {
        start(60_000, 100);
        for (int i = 0; i < 8; i++) {
            appender.doAppend(event("line " + i)); // 7 bytes each: 56 of 100
        }

        awaitWritten(8);
        assertThat(written()).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 5",
                "line 6", "line 7");
    }

    @Test
    void whenConsoleCannotKeepUpThenLinesDroppedAndTheirNumberReported() throws Exception {
        console.hold();
        start(60_000, 100);
        for (int i = 0; i < 8; i++) {
            appender.doAppend(event("line " + i)); // half full: the flusher takes these to the console
        }
        assertThat(console.writing.await(10, TimeUnit.SECONDS)).as("the flusher is writing").isTrue();
        for (int i = 8; i < 30; i++) {
            appender.doAppend(event("line " + i)); // 7 or 8 bytes each: lines 8 to 19 fit in 100
        }

        console.release();
        appender.flush();
        appender.doAppend(event("after"));
        appender.flush();

        List<String> written = written();
        assertThat(written).hasSize(22);
        assertThat(written.subList(0, 20)).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "line " + i).toList());
        assertThat(written.get(20)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  access "
                + "dropped 10 log lines because the console could not keep up");
        assertThat(written.get(21)).isEqualTo("after");
    }

    private void start(long flushMillis, int maxBufferBytes) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setName("access");
        appender.setEncoder(encoder);
        appender.setFlushMillis(flushMillis);
        appender.setMaxBufferBytes(maxBufferBytes);
        appender.start();
        assertThat(appender.isStarted()).isTrue();
    }

    private LoggingEvent event(String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("keygate.access");
        event.setLevel(Level.INFO);
        event.setMessage(message);
        event.setTimeStamp(System.currentTimeMillis());
        return event;
    }

    private List<String> written() {
        synchronized (console) {
            return console.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    private void awaitWritten(int lines) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10))
                .until(() -> written().size() >= lines);
    }

    /** Standard error in memory; {@link #hold()} makes writes wait, as a terminal or pipe that cannot keep up does. */
    private static final class Console extends ByteArrayOutputStream {

        private final CountDownLatch writing = new CountDownLatch(1);
        private volatile CountDownLatch open = new CountDownLatch(0);

        void hold() {
            open = new CountDownLatch(1);
        }

        void release() {
            open.countDown();
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writing.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.write(bytes, offset, length);
        }
    }
}
