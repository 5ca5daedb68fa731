package dev.keygate.bench.tools;

import dev.keygate.core.auth.Verification;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.store.postgres.PostgresStores;
import dev.keygate.store.sqlite.SqliteKeyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** A seeded database, open, with the keys that will be timed. */
final class ColdTable implements AutoCloseable {

    final String kind;
    final int n;
    final int samples;
    final KeyStore store;
    final List<String> warmup;
    final List<String> timed;
    final SplittableRandom random;
    final Clock clock = Clock.systemUTC();
    final Runnable drop;

    ColdTable(String kind, int n, int samples, KeyStore store, List<String> picked, SplittableRandom random,
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
        ColdVerify.time(store, clock, ColdVerify.cycle(warmup), ColdVerify.WARMUP, Verification.Valid.class);
        ColdVerify.time(store, clock, ColdVerify.unknownKeys(random), ColdVerify.WARMUP, Verification.Unknown.class);
    }

    ColdVerify.Result measure() {
        double[] known = ColdVerify.time(store, clock, ColdVerify.cycle(timed), samples, Verification.Valid.class);
        double[] unknown = ColdVerify.time(store, clock, ColdVerify.unknownKeys(random), samples, Verification.Unknown.class);
        ColdVerify.print(kind, n, "known  ", known, samples, timed.size());
        ColdVerify.print(kind, n, "unknown", unknown, samples, samples);
        return new ColdVerify.Result(known, unknown);
    }

    @Override
    public void close() {
        store.close();
        drop.run();
    }

    static ColdTable sqlite(Path dir, int n, int samples) throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path db = dir.resolve("keygate.db");
        // Flyway creates the schema exactly as the server would.
        SqliteKeyStore.open(db).close();
        String url = "jdbc:sqlite:" + db.toAbsolutePath();
        SplittableRandom random = new SplittableRandom(n);
        List<String> picked = ColdSeed.seedAndPick("sqlite", url, n, samples, random);
        long fileBytes = Files.size(db) + (Files.exists(dir.resolve("keygate.db-wal")) ? Files.size(dir.resolve("keygate.db-wal")) : 0);
        System.out.printf(Locale.ROOT, "sqlite n=%d: database file %.1f MB%n", n, fileBytes / 1e6);
        return new ColdTable("sqlite", n, samples, SqliteKeyStore.open(db), picked, random, () -> {});
    }

    static ColdTable postgres(int n, int samples) throws Exception {
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
        List<String> picked = ColdSeed.seedAndPick("postgres", url + "&reWriteBatchedInserts=true", n, samples, random);
        return new ColdTable("postgres", n, samples, PostgresStores.open(url).keys(), picked, random, () -> {
            try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("could not drop " + name + ": " + e.getMessage());
            }
        });
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
