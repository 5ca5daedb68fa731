package dev.keygate.store.jdbc;

import dev.keygate.core.ConflictException;
import dev.keygate.core.StoreUnavailableException;
import java.sql.SQLException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;

/**
 * Translates driver failures at the store's boundary: a unique violation where the caller expects
 * one is a {@link ConflictException}, anything else a {@link StoreUnavailableException}. Our own
 * exceptions thrown inside a statement pass through unchanged.
 */
final class Translator {

    private final Predicate<SQLException> isUniqueViolation;

    Translator(Predicate<SQLException> isUniqueViolation) {
        this.isUniqueViolation = isUniqueViolation;
    }

    /**
     * Runs {@code statement}.
     *
     * @param conflictMessage the conflict's message when a unique violation is expected; null when none is
     */
    <T> T call(Supplier<T> statement, String conflictMessage) {
        try {
            return statement.get();
        } catch (JdbiException e) {
            if (conflictMessage != null && e.getCause() instanceof SQLException sql && isUniqueViolation.test(sql)) {
                throw new ConflictException(conflictMessage);
            }
            if (e.getCause() instanceof SQLException sql && sql.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The driver's exception, not JDBI's: JDBI's message lists the statement's bound values.
            Throwable cause = e.getCause() instanceof SQLException sql ? sql : null;
            throw new StoreUnavailableException("the database did not answer (" + e.getClass().getSimpleName() + ")",
                    cause);
        }
    }

    /** {@link #call} where no unique violation is expected. */
    <T> T call(Supplier<T> statement) {
        return call(statement, null);
    }

    /** {@link #call} for a statement with no result, where no unique violation is expected. */
    void run(Runnable statement) {
        run(statement, null);
    }

    /** {@link #call} for a statement with no result. */
    void run(Runnable statement, String conflictMessage) {
        call(() -> {
            statement.run();
            return null;
        }, conflictMessage);
    }
}
