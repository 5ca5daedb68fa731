package dev.keygate.store.jdbc;

import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/**
 * The stores on a SQL database through JDBI: one set of statements, in plain SQL that SQLite and
 * PostgreSQL both run. What differs per database (the connection pool, the schema migrations,
 * how a unique violation is reported) is given by the database's module.
 */
public final class JdbiStores {

    private JdbiStores() {}

    /**
     * Stores on {@code jdbi}, whose schema is already migrated.
     *
     * @param isUniqueViolation tells a unique-constraint violation from other failures
     * @param pool              closed when the stores are
     */
    public static Database create(Jdbi jdbi, Predicate<SQLException> isUniqueViolation, AutoCloseable pool) {
        return create(jdbi, isUniqueViolation, pool, Optional.empty());
    }

    /**
     * Stores on a database shared by several nodes.
     *
     * @param clockQuery a statement answering the database's time in epoch milliseconds, such as
     *                   PostgreSQL's {@code SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT}
     */
    public static Database create(Jdbi jdbi, Predicate<SQLException> isUniqueViolation, AutoCloseable pool,
            Optional<String> clockQuery) {
        Translator translator = new Translator(isUniqueViolation);
        return new Database(new JdbiKeyStore(jdbi, translator, pool, clockQuery), new JdbiPaymentStore(jdbi, translator),
                new JdbiDashboardStore(jdbi, translator), new JdbiRotationStore(jdbi, translator));
    }
}
