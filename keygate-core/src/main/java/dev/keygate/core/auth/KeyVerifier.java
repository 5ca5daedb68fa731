package dev.keygate.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keygate.core.feed.Change;
import dev.keygate.core.keys.Credential;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.keyformat.ApiKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks presented keys (SPEC sections 2, 3 and 7): the format first, then a cache keyed by the
 * key's digest, then the store.
 *
 * <pre>{@code
 * KeyVerifier verifier = new KeyVerifier(store, Clock.systemUTC());
 * Optional<Verification> fast = verifier.verifyCached(token); // on the event loop, never blocks
 * Verification slow = verifier.verify(token);                 // off the loop: may ask the store
 * }</pre>
 *
 * <p>A malformed key never reaches the cache or the store. Unknown digests are cached too, so a
 * flood of random well-formed keys does not reach the database; the cache's admission policy
 * (W-TinyLFU) keeps one-off digests from pushing out keys in use. Entries are dropped when the
 * store's change feed reports a deletion or expiry change ({@link #apply(Change)}); the time to
 * live (measured on the injected clock) is only a safety net. Each entry's is cut short by a random
 * part of up to {@link #TTL_SPREAD} of it, so that keys first looked up together (after a restart,
 * every key in use) do not run out together: when they did, once a minute every request of every
 * key waited on the store at the same moment. Expiry is judged on every call against the clock,
 * so a cached key stops working at its {@code expires_at} exactly.
 *
 * <p>An unknown key costs the same work as a known one: one SHA-256 and one indexed lookup.
 */
public final class KeyVerifier {

    /** How long, at most, a known key is trusted from the cache without asking the store again. */
    public static final Duration DEFAULT_KNOWN_TTL = Duration.ofMinutes(1);
    /** How long, at most, an unknown digest is remembered. */
    public static final Duration DEFAULT_UNKNOWN_TTL = Duration.ofMinutes(10);
    /** The largest share of its time to live by which an entry is cut short, at random. */
    public static final double TTL_SPREAD = 0.2;
    /** Most digests cached, known and unknown together. */
    public static final long DEFAULT_CACHE_SIZE = 200_000;

    private final KeyStore store;
    private final Clock clock;
    private final Cache<KeyDigest, Cached> cache;
    private final long knownTtlMillis;
    private final long unknownTtlMillis;

    /** What the cache holds for a digest, and until when (on the injected clock) it may be trusted. */
    private record Cached(Optional<Credential> found, long expiresAtMillis) {}
    /** Counts account-wide changes, so that a lookup racing one is not kept. */
    private final AtomicLong accountChanges = new AtomicLong();

    /** A verifier with the default cache settings. */
    public KeyVerifier(KeyStore store, Clock clock) {
        this(store, clock, DEFAULT_KNOWN_TTL, DEFAULT_UNKNOWN_TTL, DEFAULT_CACHE_SIZE);
    }

    public KeyVerifier(KeyStore store, Clock clock, Duration knownTtl, Duration unknownTtl, long cacheSize) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.knownTtlMillis = knownTtl.toMillis();
        this.unknownTtlMillis = unknownTtl.toMillis();
        // Size-bounded only: the TTL is checked on read against the clock. Caffeine's variable
        // expiry costs about 100 ns per hit, more than the SHA-256 of the key. Upkeep runs on the
        // caller, amortised: handing it to another thread woke that thread every few requests.
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).build();
    }

    /**
     * The outcome if it can be decided without the store: a malformed key, or a digest in the
     * cache. Empty when the store must be asked with {@link #verify(String)}. Never blocks.
     */
    public Optional<Verification> verifyCached(String token) {
        Optional<ApiKey> parsed = ApiKey.tryParse(token);
        if (parsed.isEmpty()) {
            return Optional.of(malformed(token));
        }
        Cached cached = cache.getIfPresent(KeyDigest.of(parsed.get()));
        return cached == null || expired(cached) ? Optional.empty() : Optional.of(judge(parsed.get(), cached.found()));
    }

    /**
     * The outcome, asking the store when the cache does not know the key. May block.
     *
     * @throws StoreUnavailableException if the store must be asked and cannot answer
     */
    public Verification verify(String token) {
        Optional<ApiKey> parsed = ApiKey.tryParse(token);
        if (parsed.isEmpty()) {
            return malformed(token);
        }
        KeyDigest digest = KeyDigest.of(parsed.get());
        long generation = accountChanges.get();
        // One lookup per digest at a time; a failure is not cached.
        Cached cached = cache.getIfPresent(digest);
        if (cached == null || expired(cached)) {
            cached = cache.asMap().compute(digest, (d, old) -> old != null && !expired(old) ? old : load(d));
        }
        Optional<Credential> found = cached.found();
        if (generation != accountChanges.get()) {
            // An account-wide change was applied while this lookup ran: it may have read the old row.
            cache.invalidate(digest);
        }
        return judge(parsed.get(), found);
    }

    /** Drops what the cache holds about a changed key, or about every key of a changed account. */
    public void apply(Change change) {
        if (change.digest().isPresent()) {
            cache.invalidate(change.digest().get());
        } else {
            accountChanges.incrementAndGet();
            cache.asMap().values().removeIf(cached -> cached.found().isPresent()
                    && cached.found().get().key().accountId().equals(change.accountId()));
        }
    }

    /** Drops everything cached: when the change feed cannot be trusted to be complete. */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    private boolean expired(Cached cached) {
        return clock.millis() >= cached.expiresAtMillis();
    }

    private Cached load(KeyDigest digest) {
        Optional<Credential> found = store.findCredential(digest);
        long ttl = found.isPresent() ? knownTtlMillis : unknownTtlMillis;
        long cut = ThreadLocalRandom.current().nextLong((long) (ttl * TTL_SPREAD) + 1);
        return new Cached(found, clock.millis() + ttl - cut);
    }

    private static Verification malformed(String token) {
        return new Verification.Malformed(ApiKey.malformation(token).orElseThrow());
    }

    private Verification judge(ApiKey presented, Optional<Credential> found) {
        if (found.isEmpty() || found.get().key().revokedAt().isPresent()) {
            return new Verification.Unknown(presented.masked());
        }
        Credential credential = found.get();
        Optional<Instant> expiresAt = credential.key().expiresAt();
        if (expiresAt.isPresent() && !clock.instant().isBefore(expiresAt.get())) {
            return new Verification.Expired(presented.masked(), expiresAt.get());
        }
        return new Verification.Valid(VerifiedKey.of(credential));
    }
}
