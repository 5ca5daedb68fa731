package dev.keygate.bench.tools;

import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The request log's cost in the database: what writing the node's once-a-second batch costs per
 * request, what it takes on disk, and what the dashboard's listing then costs, in Keygate's layout
 * (rows of up to 100 requests of one account, migration V5) against the layout it replaced (a row
 * per request with its two indexes, as V3 created it and as {@code JdbiDashboardStore} wrote it
 * through a JDBI batch before V5). Rounds alternate between the two with the same batch.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.keygate.bench.tools.RequestLogWrite sqlite WORK_DIR ROUNDS BATCH ACCOUNTS
 * java -cp benchmarks.jar dev.keygate.bench.tools.RequestLogWrite postgres WORK_DIR ROUNDS BATCH ACCOUNTS
 * }</pre>
 *
 * <p>SQLite: two files with the server's settings (WAL, {@code synchronous=FULL}), each through a
 * Hikari pool as in the server; the CPU is this
 * thread's, SQLite's work included. PostgreSQL: a fresh database on the server of
 * {@code KEYGATE_BENCH_POSTGRES} (default {@code jdbc:postgresql://127.0.0.1:5432/}, user
 * {@code postgres}), dropped at the end; the CPU is this thread's plus that of every local process
 * named {@code postgres} (backends, WAL writer, checkpointer), from {@code /proc}. Prints the
 * figures and their ratios, and a last line {@code requestlog_cpu_us=… v4_cpu_us=… …} for scripts.
 */
public final class RequestLogWrite {

    /** Rounds before timing starts, so that the JIT has compiled both paths. */
    static final int WARMUP_ROUNDS = 10;
    static final int LISTINGS = 200;
    static final int LIST_LIMIT = 200;
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    private RequestLogWrite() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5 || !List.of("sqlite", "postgres").contains(args[0])) {
            System.err.println("usage: RequestLogWrite sqlite|postgres WORK_DIR ROUNDS BATCH ACCOUNTS");
            System.exit(2);
        }
        boolean postgres = args[0].equals("postgres");
        Path workDir = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int batchSize = Integer.parseInt(args[3]);
        int accounts = Integer.parseInt(args[4]);
        Files.createDirectories(workDir);
        SplittableRandom random = new SplittableRandom(8);
        List<String> accountIds = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            accountIds.add("acct_" + Base62.random(random, 16));
        }

        try (RequestLogLayouts layouts = postgres ? RequestLogLayouts.postgres() : RequestLogLayouts.sqlite(workDir)) {
            long currentNanos = 0;
            long v4Nanos = 0;
            long timed = 0;
            for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
                List<RequestLogEntry> batch = batch(random, accountIds, batchSize);
                boolean currentFirst = round % 2 == 0;
                long first = cpuNanos(postgres, () -> (currentFirst ? layouts.current : layouts.v4).insert(batch));
                long second = cpuNanos(postgres, () -> (currentFirst ? layouts.v4 : layouts.current).insert(batch));
                if (round >= WARMUP_ROUNDS) {
                    currentNanos += currentFirst ? first : second;
                    v4Nanos += currentFirst ? second : first;
                    timed += batch.size();
                }
            }
            long written = (long) (WARMUP_ROUNDS + rounds) * batchSize;
            double currentBytes = layouts.current.bytes() / (double) written;
            double v4Bytes = layouts.v4.bytes() / (double) written;

            List<Double> currentList = new ArrayList<>();
            List<Double> v4List = new ArrayList<>();
            List<Double> currentList5xx = new ArrayList<>();
            List<Double> v4List5xx = new ArrayList<>();
            for (int i = 0; i < 2 * LISTINGS; i++) {
                String account = accountIds.get(random.nextInt(accounts));
                // The first half warms both up; only the second is timed.
                boolean keep = i >= LISTINGS;
                time(keep ? currentList : null, () -> layouts.current.list(account, OptionalInt.empty()));
                time(keep ? v4List : null, () -> layouts.v4.list(account, OptionalInt.empty()));
                time(keep ? currentList5xx : null, () -> layouts.current.list(account, OptionalInt.of(5)));
                time(keep ? v4List5xx : null, () -> layouts.v4.list(account, OptionalInt.of(5)));
            }

            double currentCpu = currentNanos / 1_000.0 / timed;
            double v4Cpu = v4Nanos / 1_000.0 / timed;
            System.out.printf(Locale.ROOT, "%s: %d requests written in batches of %d over %d accounts (%d rounds timed)%n",
                    args[0], written, batchSize, accounts, rounds);
            if (postgres && postgresTicks() == 0) {
                System.out.println("no local postgres process to read: CPU is this client's only");
            }
            System.out.printf(Locale.ROOT, "%-36s %12s %12s %8s%n", "", "rows of 100", "row each", "ratio");
            row("write, CPU us per request", currentCpu, v4Cpu);
            row("bytes per request", currentBytes, v4Bytes);
            row("list latest 200, ms (median)", median(currentList), median(v4List));
            row("list latest 200 5xx, ms (median)", median(currentList5xx), median(v4List5xx));
            System.out.printf(Locale.ROOT, "%s_requestlog_cpu_us=%.2f %s_v4_cpu_us=%.2f %s_cpu_ratio=%.2f "
                            + "%s_requestlog_bytes=%.0f %s_v4_bytes=%.0f %s_list_ms=%.2f %s_v4_list_ms=%.2f "
                            + "%s_list5xx_ms=%.2f %s_v4_list5xx_ms=%.2f%n",
                    args[0], currentCpu, args[0], v4Cpu, args[0], currentCpu / v4Cpu, args[0], currentBytes, args[0],
                    v4Bytes, args[0], median(currentList), args[0], median(v4List), args[0], median(currentList5xx),
                    args[0], median(v4List5xx));
        }
    }

    /** A flush as the server makes it: statuses mostly 200, some 4xx, about 1 % 5xx. */
    private static List<RequestLogEntry> batch(SplittableRandom random, List<String> accountIds, int size) {
        List<RequestLogEntry> batch = new ArrayList<>(size);
        Instant now = Instant.now();
        for (int i = 0; i < size; i++) {
            int roll = random.nextInt(100);
            int status = roll == 0 ? 503 : roll < 4 ? 429 : roll < 8 ? 404 : 200;
            batch.add(new RequestLogEntry(accountIds.get(random.nextInt(accountIds.size())), Environment.TEST,
                    now.plusMillis(i * 1000L / size), "key_" + Base62.random(random, 16), "GET", "/api/v1/ping",
                    status, "127.0.0.1", "req_" + Base62.random(random, 16)));
        }
        return batch;
    }

    /** This thread's CPU over {@code write}, and with {@code postgres} the local server's too. */
    private static long cpuNanos(boolean postgres, Runnable write) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long ticks = postgres ? postgresTicks() : 0;
        long before = threads.getCurrentThreadCpuTime();
        write.run();
        long client = threads.getCurrentThreadCpuTime() - before;
        return client + (postgres ? (postgresTicks() - ticks) * NANOS_PER_TICK : 0);
    }

    /** User and system ticks of every process named {@code postgres} on this machine. */
    private static long postgresTicks() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .mapToLong(p -> {
                        try {
                            String stat = Files.readString(p.resolve("stat"));
                            if (!stat.contains("(postgres)")) {
                                return 0;
                            }
                            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        } catch (IOException | RuntimeException gone) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void time(List<Double> into, Runnable listing) {
        long start = System.nanoTime();
        listing.run();
        if (into != null) {
            into.add((System.nanoTime() - start) / 1e6);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void row(String name, double current, double v4) {
        System.out.printf(Locale.ROOT, "%-36s %12.2f %12.2f %8.2f%n", name, current, v4, current / v4);
    }
}
