package dev.keygate.client;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every object of a list, page after page: each page starts after the last object of the one
 * before ({@code starting_after}, SPEC section 5). Pages are fetched as the iteration reaches them,
 * never ahead; each {@link #iterator()} starts again from the first page. A failed page fetch
 * throws its {@link KeygateException} from {@code hasNext()}.
 *
 * <pre>{@code
 * for (Payment payment : client.payments().listAll()) { … }
 * long succeeded = client.payments().listAll().stream()
 *         .filter(p -> p.status() == Payment.Status.SUCCEEDED).count();
 * }</pre>
 *
 * @param <T> the type of object listed
 */
public final class AutoPagingIterable<T> implements Iterable<T> {

    private final ListParams first;
    private final Function<ListParams, Page<T>> fetch;
    private final Function<T, String> idOf;

    AutoPagingIterable(ListParams first, Function<ListParams, Page<T>> fetch, Function<T, String> idOf) {
        this.first = first;
        this.fetch = fetch;
        this.idOf = idOf;
    }

    @Override
    public Iterator<T> iterator() {
        return new Pages();
    }

    /** The objects as a sequential, lazily fetched stream. */
    public Stream<T> stream() {
        return StreamSupport.stream(spliterator(), false);
    }

    @Override
    public Spliterator<T> spliterator() {
        return Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL);
    }

    private final class Pages implements Iterator<T> {
        private ListParams params = first;
        private Page<T> page;
        private int index;

        @Override
        public boolean hasNext() {
            while (true) {
                if (page == null) {
                    page = fetch.apply(params);
                    index = 0;
                }
                List<T> data = page.data();
                if (index < data.size()) {
                    return true;
                }
                // An empty page cannot name a cursor: stop rather than ask for the same page again.
                if (!page.hasMore() || data.isEmpty()) {
                    return false;
                }
                params = params.withStartingAfter(idOf.apply(data.get(data.size() - 1)));
                page = null;
            }
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.data().get(index++);
        }
    }
}
