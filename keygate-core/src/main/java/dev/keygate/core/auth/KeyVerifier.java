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
import java.util.function.BooleanSupplier;

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
 * so a cached key stops working at its {@code expires_at} exactly. While the change feed is stale
 * (a node cut off from the store), nothing cached is trusted: the store is asked, and while it
 * cannot answer the caller gets {@link StoreUnavailableException}, never a deleted key accepted.
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
    /** False while the change feed is stale: then no cached answer is trusted (SPEC section 7). */
    private final BooleanSupplier cacheTrusted;
    private final Cache<KeyDigest, Cached> cache;
    private final long knownTtlMillis;
    private final long unknownTtlMillis;

    /** What the cache holds for a digest, and until when (on the injected clock) it may be trusted. */
    private record Cached(Optional<Credential> found, long expiresAtMillis) {}
    /** Counts account-wide changes, so that a lookup racing one is not kept. */
    private final AtomicLong accountChanges = new AtomicLong();

    /** A verifier with the default cache settings, always trusting its cache (one node, no feed to miss). */
    public KeyVerifier(KeyStore store, Clock clock) {
        this(store, clock, () -> true);
    }

    /**
     * A verifier with the default cache settings.
     *
     * @param cacheTrusted whether cached answers may be used now; {@link
     *     dev.keygate.core.feed.ChangeFeed#current()} on a server, so that a node cut off from the
     *     store's changes stops trusting them
     */
    public KeyVerifier(KeyStore store, Clock clock, BooleanSupplier cacheTrusted) {
        this(store, clock, cacheTrusted, DEFAULT_KNOWN_TTL, DEFAULT_UNKNOWN_TTL, DEFAULT_CACHE_SIZE);
    }

    public KeyVerifier(KeyStore store, Clock clock, Duration knownTtl, Duration unknownTtl, long cacheSize) {
        this(store, clock, () -> true, knownTtl, unknownTtl, cacheSize);
    }

    public KeyVerifier(KeyStore store, Clock clock, BooleanSupplier cacheTrusted, Duration knownTtl,
            Duration unknownTtl, long cacheSize) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.cacheTrusted = Objects.requireNonNull(cacheTrusted);
        this.knownTtlMillis = knownTtl.toMillis();
        this.unknownTtlMillis = unknownTtl.toMillis();
        // Size-bounded only: the TTL is checked on read against the clock. Caffeine's variable
        // expiry costs about 100 ns per hit, more than the SHA-256 of the key. Upkeep runs on the
        // caller, amortised: handing it to another thread woke that thread every few requests.
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).build();
    }

    /** A well-formed presented key, parsed and digested once for both the cache and the store. */
    public record Presented(ApiKey key, KeyDigest digest) {}

    /** What {@link #check(String)} found: an outcome, or a key the store must be asked about. */
    public sealed interface Check {}

    /** Decided without the store: a malformed key, or a digest the cache knows. */
    public record Decided(Verification verification) implements Check {}

    /** The cache cannot decide: {@link #verify(Presented)} asks the store, off the event loop. */
    public record NeedsStore(Presented presented) implements Check {}

    /**
     * Decides what can be decided without the store: a malformed key, or a digest in the cache
     * (unless the cache is not trusted now). Never blocks.
     */
    public Check check(String token) {
        Optional<ApiKey> parsed = ApiKey.tryParse(token);
        if (parsed.isEmpty()) {
            return new Decided(malformed(token));
        }
        ApiKey key = parsed.get();
        KeyDigest digest = KeyDigest.of(key);
        Cached cached = cache.getIfPresent(digest);
        return cached == null || !usable(cached)
                ? new NeedsStore(new Presented(key, digest))
                : new Decided(judge(key, cached.found()));
    }

    /**
     * The outcome if it can be decided without the store: a malformed key, or a digest in the
     * cache. Empty when the store must be asked with {@link #verify(String)}. Never blocks.
     */
    public Optional<Verification> verifyCached(String token) {
        return check(token) instanceof Decided decided ? Optional.of(decided.verification()) : Optional.empty();
    }

    /**
     * The outcome, asking the store when the cache does not know the key. May block.
     *
     * @throws StoreUnavailableException if the store must be asked and cannot answer
     */
    public Verification verify(String token) {
        return switch (check(token)) {
            case Decided decided -> decided.verification();
            case NeedsStore needs -> verify(needs.presented());
        };
    }

    /**
     * The outcome of a key the cache could not decide, from the store. May block.
     *
     * @throws StoreUnavailableException if the store cannot answer
     */
    public Verification verify(Presented presented) {
        KeyDigest digest = presented.digest();
        long generation = accountChanges.get();
        // One lookup per digest at a time; a failure is not cached.
        Cached cached = cache.getIfPresent(digest);
        if (cached == null || !usable(cached)) {
            cached = cache.asMap().compute(digest, (d, old) -> old != null && usable(old) ? old : load(d));
        }
        Optional<Credential> found = cached.found();
        if (generation != accountChanges.get()) {
            // An account-wide change was applied while this lookup ran: it may have read the old row.
            cache.invalidate(digest);
        }
        return judge(presented.key(), found);
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

    /** Whether a cached answer may be used: within its time to live, and the change feed current. */
    private boolean usable(Cached cached) {
        return clock.millis() < cached.expiresAtMillis() && cacheTrusted.getAsBoolean();
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
