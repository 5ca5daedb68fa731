package dev.keygate.client;

import java.util.List;

/**
 * One page of a list, newest first (SPEC section 5). To walk every page, use the services'
 * {@code listAll} instead of following {@link #hasMore()} by hand.
 *
 * @param data    the objects of this page
 * @param hasMore whether objects older than the last of this page exist
 * @param url     the list's path, such as {@code /api/v1/payments}
 * @param <T>     the type of object listed
 */
public record Page<T>(List<T> data, boolean hasMore, String url) {

    public Page {
        data = data == null ? List.of() : List.copyOf(data);
    }
}
