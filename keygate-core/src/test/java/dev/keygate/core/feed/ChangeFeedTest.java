package dev.keygate.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.testing.InMemoryKeyStore;
import dev.keygate.core.testing.MutableClock;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The change feed's reads and when it stops being current (SPEC section 7). */
class ChangeFeedTest {

    private static final long FIVE_SECONDS = ChangeFeed.MAX_STALENESS.toNanos();

    private final InMemoryKeyStore backing = new InMemoryKeyStore();
    private final AtomicBoolean cutOff = new AtomicBoolean();
    private final KeyStore store = cutOff(backing, cutOff);
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final Keys keys = new Keys(backing, new MutableClock(Instant.parse("2026-12-01T09:00:00Z")), new Random(7));

    @Test
    void currentWhenStartedThenCurrentForFiveSecondsOnly() {
        ChangeFeed feed = new ChangeFeed(store, nanos::get);

        nanos.addAndGet(FIVE_SECONDS - 1);
        assertThat(feed.current()).isTrue();
        nanos.addAndGet(1);
        assertThat(feed.current()).isFalse();
    }

    @Test
    void readWhenChangesMadeThenEachPassedOnOnceAndCurrentAgain() {
        ChangeFeed feed = new ChangeFeed(store, nanos::get);
        String accountId = account();
        String first = keys.create(accountId, KeyType.SECRET, Environment.TEST, Optional.empty()).record().id();
        keys.create(accountId, KeyType.PUBLIC, Environment.TEST, Optional.empty());
        keys.delete(first);
        nanos.addAndGet(FIVE_SECONDS);
        List<Change> seen = new ArrayList<>();

        feed.read(seen::add);
        feed.read(seen::add);

        assertThat(seen).isNotEmpty().doesNotHaveDuplicates();
        assertThat(seen).extracting(Change::sequence).isSorted();
        assertThat(feed.current()).isTrue();
    }

    @Test
    void readWhenStoreCutOffThenFailsAndFeedStaleFiveSecondsAfterLastRead() {
        ChangeFeed feed = new ChangeFeed(store, nanos::get);
        nanos.addAndGet(3_000_000_000L);
        feed.read(change -> {});
        cutOff.set(true);

        nanos.addAndGet(FIVE_SECONDS - 1);
        assertThatThrownBy(() -> feed.read(change -> {})).isInstanceOf(StoreUnavailableException.class);
        assertThat(feed.current()).as("4.999 s after the last complete read").isTrue();
        nanos.addAndGet(1);
        assertThat(feed.current()).isFalse();

        cutOff.set(false);
        feed.read(change -> {});
        assertThat(feed.current()).isTrue();
    }

    private String account() {
        Account account = new Account("acct_" + "0123456789abcdef", "Shop", "owner@example.com", OptionalInt.empty(),
                Instant.parse("2026-12-01T09:00:00Z"));
        backing.insertAccount(account, Optional.empty());
        return account.id();
    }

    /** {@code delegate}, whose change feed fails like a database outage while {@code cut} is set. */
    private static KeyStore cutOff(KeyStore delegate, AtomicBoolean cut) {
        return (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(), new Class<?>[] {KeyStore.class},
                (proxy, method, args) -> {
                    if (cut.get() && method.getName().equals("changesSince")) {
                        throw new StoreUnavailableException("database down", null);
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
