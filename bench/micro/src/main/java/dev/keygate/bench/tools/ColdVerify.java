package dev.keygate.bench.tools;

import dev.keygate.core.Ids;
import dev.keygate.core.auth.KeyVerifier;
import dev.keygate.core.auth.Verification;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.store.postgres.PostgresStores;
import dev.keygate.store.sqlite.SqliteKeyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Cold verification: {@link KeyVerifier#verify(String)} of keys its cache has never seen, so each
 * call is one store lookup by digest (through JDBI and the Hikari pool, as in the server, minus
 * the hop to a virtual thread). For each {@code STORE:N} given, seeds a fresh database with
 * {@code N} keys (Flyway creates the schema through the store's own {@code open}, then one JDBC
 * batch in one transaction fills it), then times known keys and unknown well-formed keys one call
 * at a time. {@code STORE} is {@code sqlite} (a file under {@code WORK_DIR}) or {@code postgres}
 * (a fresh database on the server of {@code KEYGATE_BENCH_POSTGRES}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/} as user {@code postgres}, dropped at the end).
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.keygate.bench.tools.ColdVerify WORK_DIR SAMPLES sqlite:1000 sqlite:1000000 postgres:1000
 * }</pre>
 *
 * <p>Prints one line per store, size and kind with p50, p90, p99, p99.9 and max in microseconds,
 * and a last line {@code sqlite_p99_us_1000=… …} for scripts.
 */
public final class ColdVerify {

    /** Verifications before timing starts, so that the JIT has compiled the lookup path. */
    static final int WARMUP = 20_000;
    /** Keys looked up with one fresh verifier before another is made. */
    static final int ROUND = 1_000;
    static final int KEYS_PER_ACCOUNT = 100;

    private ColdVerify() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ColdVerify WORK_DIR SAMPLES STORE:N [STORE:N …]   (STORE: sqlite or postgres)");
            System.exit(2);
        }
        Path workDir = Path.of(args[0]);
        int samples = Integer.parseInt(args[1]);
        List<Table> tables = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] spec = args[i].split(":", 2);
            int n = Integer.parseInt(spec[1]);
            tables.add(switch (spec[0]) {
                case "sqlite" -> seedSqlite(workDir.resolve("cold-" + n), n, samples);
                case "postgres" -> seedPostgres(n, samples);
                default -> throw new IllegalArgumentException("store must be sqlite or postgres: " + args[i]);
            });
        }
        // Warm every size before timing any, so that no size pays for the JIT or the seeding's garbage.
        for (Table table : tables) {
            table.warmUp();
        }
        StringBuilder summary = new StringBuilder();
        for (Table table : tables) {
            Result result = table.measure();
            summary.append(String.format(Locale.ROOT, "%s_p50_us_%d=%.1f %s_p99_us_%d=%.1f %s_unknown_p99_us_%d=%.1f ",
                    table.kind, table.n, result.known[0], table.kind, table.n, result.known[2], table.kind, table.n,
                    result.unknown[2]));
        }
        for (Table table : tables) {
            table.close();
        }
        System.out.println(summary.toString().strip());
    }

    record Result(double[] known, double[] unknown) {}

    /** A seeded database, open, with the keys that will be timed. */
    static final class Table implements AutoCloseable {
        final String kind;
        final int n;
        final int samples;
        final KeyStore store;
        final List<String> warmup;
        final List<String> timed;
        final SplittableRandom random;
        final Clock clock = Clock.systemUTC();
        final Runnable drop;

        Table(String kind, int n, int samples, KeyStore store, List<String> picked, SplittableRandom random,
                Runnable drop) {
            this.kind = kind;
            this.drop = drop;
            this.n = n;
            this.samples = samples;
            this.store = store;
            this.random = random;
            // The first WARMUP picks warm up when the table has that many fresh keys; else all are reused.
            this.warmup = picked.size() > samples ? picked.subList(samples, picked.size()) : picked;
            this.timed = picked.size() > samples ? picked.subList(0, samples) : picked;
        }

        void warmUp() {
            time(store, clock, cycle(warmup), WARMUP, Verification.Valid.class);
            time(store, clock, unknownKeys(random), WARMUP, Verification.Unknown.class);
        }

        Result measure() {
            double[] known = time(store, clock, cycle(timed), samples, Verification.Valid.class);
            double[] unknown = time(store, clock, unknownKeys(random), samples, Verification.Unknown.class);
            print(kind, n, "known  ", known, samples, timed.size());
            print(kind, n, "unknown", unknown, samples, samples);
            return new Result(known, unknown);
        }

        @Override
        public void close() {
            store.close();
            drop.run();
        }
    }

    static Table seedSqlite(Path dir, int n, int samples) throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path db = dir.resolve("keygate.db");
        // Flyway creates the schema exactly as the server would.
        SqliteKeyStore.open(db).close();
        String url = "jdbc:sqlite:" + db.toAbsolutePath();
        SplittableRandom random = new SplittableRandom(n);
        List<String> picked = seedAndPick("sqlite", url, n, samples, random);
        long fileBytes = Files.size(db) + (Files.exists(dir.resolve("keygate.db-wal")) ? Files.size(dir.resolve("keygate.db-wal")) : 0);
        System.out.printf(Locale.ROOT, "sqlite n=%d: database file %.1f MB%n", n, fileBytes / 1e6);
        return new Table("sqlite", n, samples, SqliteKeyStore.open(db), picked, random, () -> {});
    }

    static Table seedPostgres(int n, int samples) throws Exception {
        String server = System.getenv().getOrDefault("KEYGATE_BENCH_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/");
        String name = "keygate_bench_cold_" + n;
        String admin = server + "postgres?user=postgres&connectTimeout=2";
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        String url = server + name + "?user=postgres";
        // Flyway creates the schema exactly as the server would.
        PostgresStores.open(url).close();
        SplittableRandom random = new SplittableRandom(n);
        List<String> picked = seedAndPick("postgres", url + "&reWriteBatchedInserts=true", n, samples, random);
        return new Table("postgres", n, samples, PostgresStores.open(url).keys(), picked, random, () -> {
            try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("could not drop " + name + ": " + e.getMessage());
            }
        });
    }

    /** Seeds {@code n} keys and returns the text of those that will be timed, shuffled over the table. */
    static List<String> seedAndPick(String kind, String url, int n, int samples, SplittableRandom random)
            throws SQLException {
        // Which keys will be timed: distinct picks for as long as the table has fresh ones.
        int distinct = Math.min(n, samples + WARMUP);
        BitSet chosen = new BitSet(n);
        for (int set = 0; set < distinct; ) {
            int pick = random.nextInt(n);
            if (!chosen.get(pick)) {
                chosen.set(pick);
                set++;
            }
        }
        List<String> picked = new ArrayList<>(distinct);
        long seedStart = System.nanoTime();
        seed(kind, url, n, chosen, picked, random);
        System.out.printf(Locale.ROOT, "%s n=%d: seeded in %.1f s%n", kind, n, (System.nanoTime() - seedStart) / 1e9);
        shuffle(picked, random);
        return picked;
    }

    /**
     * Times {@code count} calls of {@code verify}, each key new to its verifier: a fresh verifier
     * (empty cache) every {@value #ROUND} calls, so a key repeated across rounds (a small table) is
     * still a cache miss. Returns p50, p90, p99, p99.9, max in microseconds.
     */
    static double[] time(KeyStore store, Clock clock, Supplier<String> keys, int count,
            Class<? extends Verification> expected) {
        long[] nanos = new long[count];
        KeyVerifier verifier = null;
        for (int i = 0; i < count; i++) {
            if (i % ROUND == 0) {
                verifier = new KeyVerifier(store, clock);
            }
            String token = keys.get();
            long start = System.nanoTime();
            Verification verification = verifier.verify(token);
            nanos[i] = System.nanoTime() - start;
            if (!expected.isInstance(verification)) {
                throw new IllegalStateException("expected " + expected.getSimpleName() + ", got " + verification);
            }
        }
        Arrays.sort(nanos);
        return new double[] {
            pct(nanos, 0.50), pct(nanos, 0.90), pct(nanos, 0.99), pct(nanos, 0.999), nanos[count - 1] / 1e3
        };
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e3;
    }

    private static void print(String store, int n, String kind, double[] p, int count, int distinct) {
        System.out.printf(Locale.ROOT,
                "%-8s n=%-8d %s p50=%7.1f us  p90=%7.1f us  p99=%7.1f us  p99.9=%7.1f us  max=%8.1f us  (%d lookups, %d distinct keys)%n",
                store, n, kind, p[0], p[1], p[2], p[3], p[4], count, distinct);
    }

    private static Supplier<String> cycle(List<String> keys) {
        int[] at = {0};
        return () -> keys.get(at[0]++ % keys.size());
    }

    /** Well-formed keys that are in no store: the other path a cold lookup takes. */
    private static Supplier<String> unknownKeys(SplittableRandom random) {
        SplittableRandom own = random.split();
        return () -> ApiKey.generate(KeyType.SECRET, Environment.TEST, own).reveal();
    }

    /**
     * Fills the schema with {@code n} keys over {@code n / 100} accounts in one transaction, keeping
     * the text of the chosen keys. The columns are those of {@code V1__accounts_and_keys.sql}.
     */
    static void seed(String kind, String url, int n, BitSet chosen, List<String> picked, SplittableRandom random)
            throws SQLException {
        Ids ids = new Ids(random);
        int accountCount = Math.max(1, n / KEYS_PER_ACCOUNT);
        String[] accounts = new String[accountCount];
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(url)) {
            if (kind.equals("sqlite")) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA synchronous=OFF");
                    s.execute("PRAGMA cache_size=-262144");
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO accounts (id, name, email, password_hash, rate_limit, created_at) VALUES (?, ?, ?, NULL, NULL, ?)")) {
                for (int a = 0; a < accountCount; a++) {
                    accounts[a] = ids.account();
                    insert.setString(1, accounts[a]);
                    insert.setString(2, "Cold " + a);
                    insert.setString(3, "cold" + a + "@example.test");
                    insert.setLong(4, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO api_keys (id, digest, account_id, type, "
                    + "environment, name, last4, public_value, created_at) VALUES (?, ?, ?, 'secret', 'test', 'cold', ?, NULL, ?)")) {
                for (int i = 0; i < n; i++) {
                    ApiKey key = ApiKey.generate(KeyType.SECRET, Environment.TEST, random);
                    insert.setString(1, ids.key());
                    insert.setBytes(2, KeyDigest.of(key).toBytes());
                    insert.setString(3, accounts[i % accountCount]);
                    insert.setString(4, key.last4());
                    insert.setLong(5, now);
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                    }
                    if (chosen.get(i)) {
                        picked.add(key.reveal());
                    }
                }
                insert.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                if (kind.equals("sqlite")) {
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                    s.execute("ANALYZE");
                } else {
                    s.execute("VACUUM ANALYZE");
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM api_keys")) {
                rs.next();
                if (rs.getLong(1) != n) {
                    throw new IllegalStateException("seeded " + rs.getLong(1) + " keys, wanted " + n);
                }
            }
        }
    }

    private static void shuffle(List<String> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
