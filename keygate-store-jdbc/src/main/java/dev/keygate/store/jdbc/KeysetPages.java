package dev.keygate.store.jdbc;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.Scope;
import dev.keygate.payments.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * A page of a scoped table, newest first, keyed by {@code (created_at, id)}: the cursor is the id
 * of the last object of the previous page, which must be an object of the same scope.
 */
final class KeysetPages {

    private KeysetPages() {}

    /**
     * One page of {@code table}: up to {@code limit} rows after {@code startingAfter}, and whether more follow.
     *
     * @throws InvalidInputException when {@code startingAfter} is no object of this scope
     */
    static <T> Page<T> page(Handle h, String table, String columns, RowMapper<T> mapper, Scope scope,
            Optional<String> startingAfter, int limit) {
        String cursor = "";
        Long cursorCreated = null;
        if (startingAfter.isPresent()) {
            cursorCreated = h.createQuery("SELECT created_at FROM " + table
                            + " WHERE id = :id AND account_id = :account AND environment = :env")
                    .bind("id", startingAfter.get())
                    .bind("account", scope.accountId())
                    .bind("env", scope.label())
                    .mapTo(Long.class)
                    .findOne()
                    .orElseThrow(() -> new InvalidInputException("starting_after",
                            "starting_after must be the id of an object in this list"));
            cursor = " AND (created_at < :cursorCreated OR (created_at = :cursorCreated AND id < :cursorId))";
        }
        List<T> rows = new ArrayList<>(h.createQuery("SELECT " + columns + " FROM " + table
                        + " WHERE account_id = :account AND environment = :env" + cursor
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("account", scope.accountId())
                .bind("env", scope.label())
                .bind("cursorCreated", cursorCreated)
                .bind("cursorId", startingAfter.orElse(null))
                .bind("limit", limit + 1)
                .map(mapper)
                .list());
        boolean hasMore = rows.size() > limit;
        return new Page<>(hasMore ? rows.subList(0, limit) : rows, hasMore);
    }
}
