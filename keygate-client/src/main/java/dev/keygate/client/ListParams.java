package dev.keygate.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Paging of a list call (SPEC section 5): page size and cursor.
 *
 * <pre>{@code
 * Page<Payment> page = client.payments().list(ListParams.builder().limit(50).build());
 * }</pre>
 */
public final class ListParams {

    /** Page size the server uses when none is given. */
    public static final int DEFAULT_LIMIT = 10;
    /** Largest page size the server accepts. */
    public static final int MAX_LIMIT = 100;

    private static final ListParams DEFAULTS = new ListParams(null, null);

    private final Integer limit;
    private final String startingAfter;

    private ListParams(Integer limit, String startingAfter) {
        this.limit = limit;
        this.startingAfter = startingAfter;
    }

    /** The server's defaults: {@value #DEFAULT_LIMIT} objects from the newest. */
    public static ListParams defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The page size, or null for the server's default ({@value #DEFAULT_LIMIT}). */
    public Integer limit() {
        return limit;
    }

    /** The id of the object the page starts after, or null for the newest. */
    public String startingAfter() {
        return startingAfter;
    }

    /** These parameters with another cursor, for the next page. */
    ListParams withStartingAfter(String id) {
        return new ListParams(limit, id);
    }

    Map<String, String> query() {
        Map<String, String> query = new LinkedHashMap<>();
        if (limit != null) {
            query.put("limit", limit.toString());
        }
        if (startingAfter != null) {
            query.put("starting_after", startingAfter);
        }
        return query;
    }

    @Override
    public String toString() {
        return "ListParams" + query();
    }

    /** Builds {@link ListParams}. */
    public static final class Builder {
        private Integer limit;
        private String startingAfter;

        private Builder() {}

        /** Objects per page, 1 to {@value #MAX_LIMIT}; default {@value #DEFAULT_LIMIT}. */
        public Builder limit(int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT);
            }
            this.limit = limit;
            return this;
        }

        /** Start after the object with this id (older objects follow, the list being newest first). */
        public Builder startingAfter(String id) {
            Objects.requireNonNull(id, "startingAfter");
            if (id.isBlank()) {
                throw new IllegalArgumentException("startingAfter must be an object id");
            }
            this.startingAfter = id;
            return this;
        }

        public ListParams build() {
            return new ListParams(limit, startingAfter);
        }
    }
}
