package dev.keygate.bench.tools;

import dev.keygate.core.Stores;
import dev.keygate.core.dashboard.DashboardStore;
import dev.keygate.core.dashboard.RequestLogEntry;
import dev.keygate.keyformat.Base62;
import dev.keygate.keyformat.Environment;
import dev.keygate.store.sqlite.SqliteStores;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The request log's cost on the embedded database: what writing the node's once-a-second batch
 * costs per request, and what the dashboard's listing then costs, in Keygate's layout (rows of up
 * to 100 requests of one account, migration V5) against the layout it replaced (a row per request
 * with its two indexes, as V3 created it and as {@code JdbiDashboardStore} wrote it through a JDBI
 * batch before V5), each in a SQLite file of its own with the server's settings (WAL,
 * {@code synchronous=FULL}). Rounds alternate between the two with the same batch.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.keygate.bench.tools.RequestLogWrite WORK_DIR ROUNDS BATCH ACCOUNTS
 * }</pre>
 *
 * <p>Prints CPU per request written (this thread's CPU time, so SQLite's work included and other
 * processes excluded), file size per request, and the time to list an account's latest 200
 * requests, all and 5xx only; the last line {@code requestlog_cpu_us=… v4_cpu_us=… …} for scripts.
 */
public final class RequestLogWrite {

    /** Rounds before timing starts, so that the JIT has compiled both paths. */
    static final int WARMUP_ROUNDS = 10;
    static final int LISTINGS = 200;
    static final int LIST_LIMIT = 200;

    private RequestLogWrite() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: RequestLogWrite WORK_DIR ROUNDS BATCH ACCOUNTS");
            System.exit(2);
        }
        Path workDir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int batchSize = Integer.parseInt(args[2]);
        int accounts = Integer.parseInt(args[3]);
        Files.createDirectories(workDir);
        SplittableRandom random = new SplittableRandom(8);
        List<String> accountIds = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            accountIds.add("acct_" + Base62.random(random, 16));
        }

        Path currentFile = workDir.resolve("current.db");
        Path v4File = workDir.resolve("v4.db");
        try (Stores stores = SqliteStores.open(currentFile)) {
            DashboardStore current = stores.dashboard();
            V4Layout v4 = new V4Layout(v4File);
            List<Double> currentCpu = new ArrayList<>();
            List<Double> v4Cpu = new ArrayList<>();
            long written = 0;
            for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
                List<RequestLogEntry> batch = batch(random, accountIds, batchSize);
                boolean currentFirst = round % 2 == 0;
                double first = cpuMicrosPerEntry(batch, currentFirst ? current::insertRequests : v4::insert);
                double second = cpuMicrosPerEntry(batch, currentFirst ? v4::insert : current::insertRequests);
                if (round >= WARMUP_ROUNDS) {
                    currentCpu.add(currentFirst ? first : second);
                    v4Cpu.add(currentFirst ? second : first);
                }
                written += batch.size();
            }
            checkpoint(currentFile);
            checkpoint(v4File);
            double currentBytes = Files.size(currentFile) / (double) written;
            double v4Bytes = Files.size(v4File) / (double) written;

            List<Double> currentList = new ArrayList<>();
            List<Double> v4List = new ArrayList<>();
            List<Double> currentList5xx = new ArrayList<>();
            List<Double> v4List5xx = new ArrayList<>();
            for (int i = 0; i < 2 * LISTINGS; i++) {
                String account = accountIds.get(random.nextInt(accounts));
                // The first half warms both up; only the second is timed.
                boolean timed = i >= LISTINGS;
                time(timed ? currentList : null,
                        () -> current.listRequests(account, Environment.TEST, OptionalInt.empty(), LIST_LIMIT));
                time(timed ? v4List : null, () -> v4.list(account, OptionalInt.empty()));
                time(timed ? currentList5xx : null,
                        () -> current.listRequests(account, Environment.TEST, OptionalInt.of(5), LIST_LIMIT));
                time(timed ? v4List5xx : null, () -> v4.list(account, OptionalInt.of(5)));
            }
            v4.close();

            System.out.printf(Locale.ROOT, "%d requests written in batches of %d over %d accounts (%d rounds timed)%n",
                    written, batchSize, accounts, rounds);
            System.out.printf(Locale.ROOT, "%-34s %12s %12s %8s%n", "", "rows of 100", "row each", "ratio");
            row("write, CPU us per request (median)", median(currentCpu), median(v4Cpu));
            row("file bytes per request", currentBytes, v4Bytes);
            row("list latest 200, ms (median)", median(currentList), median(v4List));
            row("list latest 200 5xx, ms (median)", median(currentList5xx), median(v4List5xx));
            System.out.printf(Locale.ROOT, "requestlog_cpu_us=%.2f v4_cpu_us=%.2f cpu_ratio=%.2f requestlog_bytes=%.0f "
                            + "v4_bytes=%.0f list_ms=%.2f v4_list_ms=%.2f list5xx_ms=%.2f v4_list5xx_ms=%.2f%n",
                    median(currentCpu), median(v4Cpu), median(currentCpu) / median(v4Cpu), currentBytes, v4Bytes,
                    median(currentList), median(v4List), median(currentList5xx), median(v4List5xx));
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
                    now.plusMillis(i * 1000L / size), "key_" + Base62.random(random, 16), "GET",
                    "/api/v1/ping", status, "127.0.0.1", "req_" + Base62.random(random, 16)));
        }
        return batch;
    }

    private static double cpuMicrosPerEntry(List<RequestLogEntry> batch, Consumer<List<RequestLogEntry>> write) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadCpuTime();
        write.accept(batch);
        return (threads.getCurrentThreadCpuTime() - before) / 1_000.0 / batch.size();
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
        System.out.printf(Locale.ROOT, "%-34s %12.2f %12.2f %8.2f%n", name, current, v4, current / v4);
    }

    private static void checkpoint(Path file) throws Exception {
        try (Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** The layout before V5: V3's table and indexes, written and read as JdbiDashboardStore did. */
    private static final class V4Layout implements AutoCloseable {

        private final Jdbi jdbi;
        private final Connection keepOpen;

        V4Layout(Path file) throws Exception {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            SQLiteDataSource dataSource = new SQLiteDataSource(config);
            dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
            // One connection held open, as the server's pool holds its own: SQLite keeps its page cache.
            keepOpen = dataSource.getConnection();
            jdbi = Jdbi.create(keepOpen);
            jdbi.useHandle(h -> {
                h.execute("CREATE TABLE request_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, account_id TEXT NOT NULL, "
                        + "environment TEXT NOT NULL, at INTEGER NOT NULL, key_id TEXT NOT NULL, method TEXT NOT NULL, "
                        + "path TEXT NOT NULL, status INTEGER NOT NULL, ip TEXT NOT NULL, request_id TEXT NOT NULL) STRICT");
                h.execute("CREATE INDEX request_log_by_scope ON request_log (account_id, environment, seq DESC)");
                h.execute("CREATE INDEX request_log_by_age ON request_log (at)");
            });
        }

        void insert(List<RequestLogEntry> entries) {
            jdbi.useTransaction(h -> {
                PreparedBatch batch = h.prepareBatch("INSERT INTO request_log (account_id, environment, at, key_id, "
                        + "method, path, status, ip, request_id) VALUES (:account, :env, :at, :key, :method, :path, "
                        + ":status, :ip, :request)");
                for (RequestLogEntry entry : entries) {
                    batch.bind("account", entry.accountId())
                            .bind("env", entry.environment().label())
                            .bind("at", entry.at().toEpochMilli())
                            .bind("key", entry.keyId())
                            .bind("method", entry.method())
                            .bind("path", entry.path())
                            .bind("status", entry.status())
                            .bind("ip", entry.ip())
                            .bind("request", entry.requestId())
                            .add();
                }
                batch.execute();
            });
        }

        List<RequestLogEntry> list(String accountId, OptionalInt statusClass) {
            return jdbi.withHandle(h -> h.createQuery("SELECT account_id, environment, at, key_id, method, path, "
                            + "status, ip, request_id FROM request_log WHERE account_id = :account AND environment = :env "
                            + "AND status >= :low AND status < :high ORDER BY seq DESC LIMIT :limit")
                    .bind("account", accountId)
                    .bind("env", Environment.TEST.label())
                    .bind("low", statusClass.isPresent() ? statusClass.getAsInt() * 100 : 0)
                    .bind("high", statusClass.isPresent() ? statusClass.getAsInt() * 100 + 100 : 1000)
                    .bind("limit", LIST_LIMIT)
                    .map((rs, ctx) -> new RequestLogEntry(rs.getString("account_id"),
                            Environment.fromLabel(rs.getString("environment")), Instant.ofEpochMilli(rs.getLong("at")),
                            rs.getString("key_id"), rs.getString("method"), rs.getString("path"), rs.getInt("status"),
                            rs.getString("ip"), rs.getString("request_id")))
                    .list());
        }

        @Override
        public void close() throws Exception {
            keepOpen.close();
        }
    }
}
