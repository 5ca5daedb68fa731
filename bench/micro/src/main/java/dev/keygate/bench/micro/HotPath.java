package dev.keygate.bench.micro;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.keygate.core.Ids;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.auth.KeyVerifier;
import dev.keygate.core.auth.UsageTracker;
import dev.keygate.core.auth.Verification;
import dev.keygate.core.keys.Credential;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.limit.RateDecision;
import dev.keygate.core.limit.SlidingWindowRateLimiter;
import dev.keygate.core.policy.Authorization;
import dev.keygate.core.policy.ClientAddress;
import dev.keygate.core.policy.IpAddress;
import dev.keygate.core.policy.KeyPolicy;
import dev.keygate.core.policy.KeyPolicyBuilder;
import dev.keygate.core.policy.Operation;
import dev.keygate.core.policy.Permissions;
import dev.keygate.core.testing.InMemoryKeyStore;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pieces of the verification hot path, each against the same rotating set of
 * {@value #KEYS} real keys, beside the floor they are judged against: a bare {@link MessageDigest}
 * SHA-256 of one 46-byte key ({@link #floor_sha256}). {@code bench/micro/run} prints every score
 * as a ratio to that floor; the target is {@code verify_cached} ≤ 2× the floor.
 *
 * <p>Names sort into groups: {@code floor_*} the physical baselines, {@code step_*} one piece of
 * the path, {@code verify_*} and {@code auth_*} the whole in-process check.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class HotPath {

    /** Distinct keys cycled through: "a few thousand keys" scaled to stay in L2 like a real working set. */
    static final int KEYS = 1024;
    /** Buckets the limiter benchmark spreads over. */
    static final int BUCKETS = 4;
    /** A limit no bucket reaches in the benchmark, so every acquire is the accepted path. */
    static final int HUGE_LIMIT = 1_000_000;

    private final String[] tokens = new String[KEYS];
    private final String[] bodies = new String[KEYS];
    private final byte[][] bytes = new byte[KEYS][];
    private final ApiKey[] parsed = new ApiKey[KEYS];
    private final KeyDigest[] digests = new KeyDigest[KEYS];
    private final String[] buckets = new String[BUCKETS];
    private int next;

    private MessageDigest reusedSha256;
    private KeyVerifier verifier;
    private Cache<KeyDigest, Optional<Credential>> cache;
    private ConcurrentHashMap<ByteBuffer, Credential> plainMap;
    private SlidingWindowRateLimiter limiter;
    private SlidingWindowRateLimiter authLimiter;
    private UsageTracker usage;
    private Clock clock;
    private final String[] keyIds = new String[KEYS];
    /** A restricted key's policy with a full allowlist of 50 CIDRs (25 IPv4, then 25 IPv6). */
    private KeyPolicy policy;
    /** Clients matched by the last entries or by none: the check scans all 50. */
    private final ClientAddress[] clients = new ClientAddress[4];

    @Setup(Level.Trial)
    public void setUp() throws NoSuchAlgorithmException {
        InMemoryKeyStore store = new InMemoryKeyStore();
        Clock clock = Clock.systemUTC();
        SplittableRandom random = new SplittableRandom(42);
        Keys keys = new Keys(store, clock, random);
        Ids ids = new Ids(random);
        // 16 accounts, each with its own high limit, as in the HTTP benchmark.
        String[] accounts = new String[16];
        for (int a = 0; a < accounts.length; a++) {
            accounts[a] = ids.account();
            store.insertAccount(new Account(accounts[a], "Bench " + a, "bench" + a + "@example.test",
                    OptionalInt.of(HUGE_LIMIT), clock.instant()), Optional.empty());
        }
        verifier = new KeyVerifier(store, clock);
        usage = new UsageTracker();
        this.clock = clock;
        // The same settings as KeyVerifier's own cache: what a bare cache hit costs.
        cache = Caffeine.newBuilder()
                .maximumSize(KeyVerifier.DEFAULT_CACHE_SIZE)
                .expireAfter(Expiry.<KeyDigest, Optional<Credential>>creating((digest, found) ->
                        found.isPresent() ? KeyVerifier.DEFAULT_KNOWN_TTL : KeyVerifier.DEFAULT_UNKNOWN_TTL))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
        plainMap = new ConcurrentHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            IssuedKey issued = keys.create(accounts[i % accounts.length], KeyType.SECRET, Environment.TEST,
                    Optional.empty());
            tokens[i] = issued.key().reveal();
            keyIds[i] = issued.record().id();
            bodies[i] = tokens[i].substring(0, ApiKey.LENGTH - ApiKey.CHECKSUM_LENGTH);
            bytes[i] = tokens[i].getBytes(StandardCharsets.US_ASCII);
            parsed[i] = ApiKey.parse(tokens[i]);
            digests[i] = KeyDigest.of(parsed[i]);
            Credential credential = store.findCredential(digests[i]).orElseThrow();
            cache.put(digests[i], Optional.of(credential));
            plainMap.put(ByteBuffer.wrap(digests[i].toBytes()), credential);
            // Warm the verifier: every key is now a cache hit.
            if (!(verifier.verify(tokens[i]) instanceof Verification.Valid)) {
                throw new IllegalStateException("seeded key did not verify");
            }
        }
        reusedSha256 = MessageDigest.getInstance("SHA-256");
        for (int b = 0; b < BUCKETS; b++) {
            buckets[b] = accounts[b] + ":test";
        }
        KeyPolicyBuilder builder = KeyPolicy.builder().permissions("payments:write,customers:read");
        for (int c = 0; c < 25; c++) {
            builder.allowIp("198.51." + c + ".0/24").allowIp("2001:db8:" + Integer.toHexString(c) + "::/48");
        }
        policy = builder.build(KeyType.RESTRICTED, 120, Permissions.BUILT_IN);
        String[] addresses = {"2001:db8:18::7", "198.51.24.9", "203.0.113.7", "::ffff:198.51.24.10"};
        for (int c = 0; c < clients.length; c++) {
            clients[c] = new ClientAddress.Known(IpAddress.parse(addresses[c]).orElseThrow());
        }
        limiter = new SlidingWindowRateLimiter(new FastClock());
        authLimiter = new SlidingWindowRateLimiter(new FastClock());
    }

    private int nextIndex() {
        next = (next + 1) & (KEYS - 1);
        return next;
    }

    // ---- floors -------------------------------------------------------------------------------

    /** The floor: a bare SHA-256 of the 46 key bytes, with {@code MessageDigest.getInstance} as any caller does. */
    @Benchmark
    public byte[] floor_sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes[nextIndex()]);
    }

    /** The same digest on a reused {@code MessageDigest}: the provider lookup taken out. */
    @Benchmark
    public byte[] floor_sha256ReusedInstance() {
        return reusedSha256.digest(bytes[nextIndex()]);
    }

    /** The reference server's auth step: SHA-256 of the header's key and a hash-map lookup. */
    @Benchmark
    public Credential floor_sha256PlusMap() throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes[nextIndex()]);
        return plainMap.get(ByteBuffer.wrap(digest));
    }

    // ---- steps --------------------------------------------------------------------------------

    /** {@code ApiKey.tryParse}: prefix, length, alphabet and checksum (the CRC32 below included). */
    @Benchmark
    public Optional<ApiKey> step_parse() {
        return ApiKey.tryParse(tokens[nextIndex()]);
    }

    /** The checksum alone, computed as {@code ApiKey.checksum} does: CRC32 of 40 ASCII bytes in 6 base62 digits. */
    @Benchmark
    public String step_checksum() {
        CRC32 crc = new CRC32();
        crc.update(bodies[nextIndex()].getBytes(StandardCharsets.US_ASCII));
        return Base62.encode(crc.getValue(), ApiKey.CHECKSUM_LENGTH);
    }

    /** {@code KeyDigest.of}: SHA-256 of a parsed key, wrapped for use as a cache key. */
    @Benchmark
    public KeyDigest step_digest() {
        return KeyDigest.of(parsed[nextIndex()]);
    }

    /** A hit in a Caffeine cache configured as {@code KeyVerifier}'s, by a digest already computed. */
    @Benchmark
    public Optional<Credential> step_cacheHit() {
        return cache.getIfPresent(digests[nextIndex()]);
    }

    /** {@code SlidingWindowRateLimiter.acquire} with a limit never reached, over {@value #BUCKETS} buckets. */
    @Benchmark
    public RateDecision step_rateLimit() {
        return limiter.acquire(buckets[nextIndex() & (BUCKETS - 1)], HUGE_LIMIT);
    }

    /** {@code UsageTracker.touch} with the clock's instant, as the authenticator notes every accepted request. */
    @Benchmark
    public void step_usageTouch() {
        usage.touch(keyIds[nextIndex()], clock.instant());
    }

    // ---- the whole in-process check -------------------------------------------------------------

    /** {@code KeyVerifier.verifyCached} of a cached key: what the event loop runs. The target: ≤ 2× the floor. */
    @Benchmark
    public Optional<Verification> verify_cached() {
        return verifier.verifyCached(tokens[nextIndex()]);
    }

    /** {@code KeyVerifier.verify} of a cached key (the loading {@code cache.get} path). */
    @Benchmark
    public Verification verify_cachedViaVerify() {
        return verifier.verify(tokens[nextIndex()]);
    }

    /** A restricted key's policy check: a 50-entry allowlist scanned to its end, then a permission. */
    @Benchmark
    public boolean step_policyCheck() {
        return policy.allowsFrom(clients[nextIndex() & 3])
                && policy.authorize("payments", Operation.READ) == Authorization.GRANTED;
    }

    /** {@link #verify_cached} followed by {@link #step_policyCheck}: the hot path of a restricted key. */
    @Benchmark
    public boolean verify_cachedThenPolicy() {
        int i = nextIndex();
        return verifier.verifyCached(tokens[i]).orElseThrow() instanceof Verification.Valid
                && policy.allowsFrom(clients[i & 3])
                && policy.authorize("payments", Operation.READ) == Authorization.GRANTED;
    }

    /**
     * The authenticator's in-process work for a cached key, without Vert.x: verification, the
     * account's limit, then noting the key as used.
     */
    @Benchmark
    public RateDecision auth_cachedThenLimit() {
        Verification verification = verifier.verifyCached(tokens[nextIndex()]).orElseThrow();
        if (!(verification instanceof Verification.Valid valid)) {
            throw new IllegalStateException("not valid");
        }
        RateDecision decision = authLimiter.acquire(valid.key().limitBucket(), valid.key().rateLimit().orElse(120));
        usage.touch(valid.key().keyId(), clock.instant());
        return decision;
    }

    /**
     * A clock running 1000 times fast (one limiter millisecond per real microsecond), so that the
     * 60-second window slides during a one-second iteration: each bucket stays at a few hundred
     * requests in its window, like a busy account, instead of filling up and only refusing.
     */
    static final class FastClock extends Clock {
        @Override
        public long millis() {
            return System.nanoTime() / 1_000;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
