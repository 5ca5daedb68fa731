package dev.keygate.server.http;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A console appender for lines written on every request (the access log): each event is encoded
 * on the caller's thread into a memory buffer, and a background thread writes what the buffer
 * holds to standard error every {@code flushMillis} (default {@value #DEFAULT_FLUSH_MILLIS} ms),
 * in one write, as nginx's {@code access_log … buffer= flush=} does, or as soon as the buffer is
 * half full, so that a busy node's lines are written in time however many there are. The caller
 * never waits on the console and no thread is woken per event: logback's {@code AsyncAppender} in
 * front of a {@code ConsoleAppender} costs a thread wake-up and a {@code write(2)} per line, which
 * was most of the CPU a cheap request costs.
 *
 * <p>When the buffer holds {@code maxBufferBytes} (default {@value #DEFAULT_MAX_BUFFER_BYTES})
 * because the console is still taking the previous write, new events are dropped and counted, and
 * the next write says how many: a console that cannot keep up never slows the API or grows the
 * heap. Stopping the appender writes what is left.
 *
 * <pre>{@code
 * <appender name="ACCESS" class="dev.keygate.server.http.BufferedConsoleAppender">
 *   <encoder><pattern>%d %msg%n</pattern></encoder>
 * </appender>
 * }</pre>
 */
public final class BufferedConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final long DEFAULT_FLUSH_MILLIS = 200;
    static final int DEFAULT_MAX_BUFFER_BYTES = 1 << 20;
    /** As logback.xml's lines start, so that the drop report parses like any other line. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private final OutputStream console;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private ByteArrayOutputStream filling = new ByteArrayOutputStream(64 * 1024);
    /** Guarded by {@link #lock}. */
    private long dropped;
    /** Only the thread holding {@link #flushing} touches it. */
    private ByteArrayOutputStream spare = new ByteArrayOutputStream(64 * 1024);
    private final Object flushing = new Object();
    private Encoder<ILoggingEvent> encoder;
    private long flushMillis = DEFAULT_FLUSH_MILLIS;
    private int maxBufferBytes = DEFAULT_MAX_BUFFER_BYTES;
    private volatile Thread flusher;

    /** Writes to standard error, through {@code System.err} so that its lines never interleave with other appenders'. */
    public BufferedConsoleAppender() {
        this(System.err);
    }

    BufferedConsoleAppender(OutputStream console) {
        this.console = console;
    }

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public void setFlushMillis(long flushMillis) {
        this.flushMillis = flushMillis;
    }

    public void setMaxBufferBytes(int maxBufferBytes) {
        this.maxBufferBytes = maxBufferBytes;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("No encoder set for the appender named \"" + name + "\".");
            return;
        }
        if (flushMillis < 1 || maxBufferBytes < 1) {
            addError("flushMillis and maxBufferBytes must be positive for the appender named \"" + name + "\".");
            return;
        }
        super.start();
        flusher = Thread.ofPlatform().daemon().name("keygate-log-flusher").start(() -> {
            while (isStarted()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(flushMillis));
                flush();
            }
        });
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        LockSupport.unpark(flusher);
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] line = encoder.encode(event);
        boolean wake;
        synchronized (lock) {
            if (filling.size() + line.length > maxBufferBytes) {
                dropped++;
                return;
            }
            int before = filling.size();
            filling.write(line, 0, line.length);
            // Woken once per buffer, by the line that fills its first half (the buffer only grows
            // until the flusher swaps it). At 60 000 requests a second the lines fill 1 MiB in under
            // the 200 ms between timed writes, and waiting for the timer dropped a third of them.
            int half = Math.max(1, maxBufferBytes / 2);
            wake = before < half && filling.size() >= half;
        }
        if (wake) {
            LockSupport.unpark(flusher);
        }
    }

    /** Writes what the buffer holds, and how many lines were dropped since the last write. */
    void flush() {
        synchronized (flushing) {
            ByteArrayOutputStream full;
            long lost;
            synchronized (lock) {
                if (filling.size() == 0 && dropped == 0) {
                    return;
                }
                full = filling;
                filling = spare;
                lost = dropped;
                dropped = 0;
            }
            try {
                full.writeTo(console);
                if (lost > 0) {
                    console.write((TIMESTAMP.format(Instant.now()) + " WARN  " + name + " dropped " + lost
                            + " log lines because the console could not keep up\n").getBytes(StandardCharsets.UTF_8));
                }
                console.flush();
            } catch (IOException e) {
                addError("Could not write to the console.", e);
            } finally {
                full.reset();
                spare = full;
            }
        }
    }
}
