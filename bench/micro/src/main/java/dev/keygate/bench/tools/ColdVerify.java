package dev.keygate.bench.tools;

import dev.keygate.core.auth.KeyVerifier;
import dev.keygate.core.auth.Verification;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
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

    private ColdVerify() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ColdVerify WORK_DIR SAMPLES STORE:N [STORE:N …]   (STORE: sqlite or postgres)");
            System.exit(2);
        }
        Path workDir = Path.of(args[0]);
        int samples = Integer.parseInt(args[1]);
        List<ColdTable> tables = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] spec = args[i].split(":", 2);
            int n = Integer.parseInt(spec[1]);
            tables.add(switch (spec[0]) {
                case "sqlite" -> ColdTable.sqlite(workDir.resolve("cold-" + n), n, samples);
                case "postgres" -> ColdTable.postgres(n, samples);
                default -> throw new IllegalArgumentException("store must be sqlite or postgres: " + args[i]);
            });
        }
        // Warm every size before timing any, so that no size pays for the JIT or the seeding's garbage.
        for (ColdTable table : tables) {
            table.warmUp();
        }
        StringBuilder summary = new StringBuilder();
        for (ColdTable table : tables) {
            Result result = table.measure();
            summary.append(String.format(Locale.ROOT, "%s_p50_us_%d=%.1f %s_p99_us_%d=%.1f %s_unknown_p99_us_%d=%.1f ",
                    table.kind, table.n, result.known[0], table.kind, table.n, result.known[2], table.kind, table.n,
                    result.unknown[2]));
        }
        for (ColdTable table : tables) {
            table.close();
        }
        System.out.println(summary.toString().strip());
    }

    record Result(double[] known, double[] unknown) {}

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

    static void print(String store, int n, String kind, double[] p, int count, int distinct) {
        System.out.printf(Locale.ROOT,
                "%-8s n=%-8d %s p50=%7.1f us  p90=%7.1f us  p99=%7.1f us  p99.9=%7.1f us  max=%8.1f us  (%d lookups, %d distinct keys)%n",
                store, n, kind, p[0], p[1], p[2], p[3], p[4], count, distinct);
    }

    static Supplier<String> cycle(List<String> keys) {
        int[] at = {0};
        return () -> keys.get(at[0]++ % keys.size());
    }

    /** Well-formed keys that are in no store: the other path a cold lookup takes. */
    static Supplier<String> unknownKeys(SplittableRandom random) {
        SplittableRandom own = random.split();
        return () -> ApiKey.generate(KeyType.SECRET, Environment.TEST, own).reveal();
    }
}
