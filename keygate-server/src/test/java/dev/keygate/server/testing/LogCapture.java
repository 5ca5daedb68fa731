package dev.keygate.server.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log lines of some loggers, kept in memory while it is open; for tests that check what a log
 * says (and that it never holds a secret).
 *
 * <pre>{@code
 * try (LogCapture lines = LogCapture.of("keygate.access")) {
 *     server.ping(key);
 *     assertThat(lines.messages()).noneSatisfy(line -> assertThat(line).contains(key.reveal()));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    /** The name of the root logger, whose lines are those of every logger that passes them on. */
    public static final String ROOT = org.slf4j.Logger.ROOT_LOGGER_NAME;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Logger> loggers;

    private LogCapture(List<Logger> loggers, LoggerContext context) {
        this.loggers = loggers;
        appender.setContext(context);
        appender.start();
        loggers.forEach(logger -> logger.addAppender(appender));
    }

    /** Starts capturing the lines of the named loggers (and of those below them). */
    public static LogCapture of(String... loggerNames) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        return new LogCapture(Arrays.stream(loggerNames).map(context::getLogger).toList(), context);
    }

    /** The events captured so far, oldest first. */
    public List<ILoggingEvent> events() {
        // The appender adds under its own lock (AppenderBase.doAppend); copy under it too.
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** The formatted messages captured so far, oldest first. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Stops capturing; the events captured stay readable. */
    @Override
    public void close() {
        loggers.forEach(logger -> logger.detachAppender(appender));
        appender.stop();
    }
}
