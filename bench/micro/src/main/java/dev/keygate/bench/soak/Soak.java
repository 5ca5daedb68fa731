package dev.keygate.bench.soak;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The load generator of {@code bench/soak/run} (issue 16): signs up accounts in the dashboard,
 * drives {@link Load} against the nodes for {@code SOAK_SECONDS} at {@code SOAK_RATE} API
 * requests a second, then judges what it saw against the faults the script wrote, and prints, last
 * line, {@code lost_writes= over_admitted= false_401= http_5xx_outside_faults= rss_growth_mb=}.
 *
 * <p>Settings (environment): {@code SOAK_PORTS} (comma-separated HTTPS ports on localhost),
 * {@code SOAK_KEYSTORE} and {@code SOAK_KEYSTORE_PASSWORD_FILE} (node 1's generated PKCS#12, whose
 * certificate is the one trusted), {@code SOAK_OUTBOXES} (the nodes' outbox directories),
 * {@code SOAK_DB_URL} (the run's database, reached directly: limits are set and payments read back
 * there), {@code SOAK_WORK} (where {@code started}, {@code faults}, {@code faults.done} and
 * {@code rss_growth_mb} are exchanged with the script), {@code SOAK_ACCOUNTS} (default 12),
 * {@code SOAK_LIMITED} (default 3), {@code SOAK_NODE_COUNT} (3), {@code SOAK_FAULT_GRACE_SECONDS} (15).
 */
public final class Soak {

    /** The default limit (SPEC section 4) the limited accounts keep. */
    static final int LIMIT = 120;
    /** A limit the bulk accounts never reach, so that their traffic measures everything but limiting. */
    static final int BULK_LIMIT = 10_000_000;

    private Soak() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        int seconds = Integer.parseInt(env.getOrDefault("SOAK_SECONDS", "600"));
        int rate = Integer.parseInt(env.getOrDefault("SOAK_RATE", "1000"));
        int accounts = Integer.parseInt(env.getOrDefault("SOAK_ACCOUNTS", "12"));
        int limitedCount = Integer.parseInt(env.getOrDefault("SOAK_LIMITED", "3"));
        int nodeCount = Integer.parseInt(env.getOrDefault("SOAK_NODE_COUNT", "3"));
        long grace = Long.parseLong(env.getOrDefault("SOAK_FAULT_GRACE_SECONDS", "15")) * 1_000;
        Path work = Path.of(env.get("SOAK_WORK"));
        List<URI> nodes = Arrays.stream(env.get("SOAK_PORTS").split(","))
                .map(port -> URI.create("https://localhost:" + port.trim() + "/")).toList();
        List<Path> outboxes = Arrays.stream(env.get("SOAK_OUTBOXES").split(",")).map(Path::of).toList();
        String db = env.get("SOAK_DB_URL");

        HttpClient http = HttpClient.newBuilder()
                .sslContext(trusting(Path.of(env.get("SOAK_KEYSTORE")), Path.of(env.get("SOAK_KEYSTORE_PASSWORD_FILE"))))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        long runId = System.currentTimeMillis();
        List<Account> bulk = new ArrayList<>();
        List<Account> limited = new ArrayList<>();
        for (int i = 0; i < accounts + limitedCount; i++) {
            boolean isLimited = i >= accounts;
            Browser owner = new Browser("soak-" + runId + "-" + i + "@example.com", http, outboxes);
            String page = owner.signUp(nodes.get(i % nodes.size()), "Soak " + i);
            String id = accountId(db, owner.email, isLimited ? LIMIT : BULK_LIMIT);
            Account account = new Account(id, owner, isLimited, Browser.find(Browser.SECRET_KEY, page, "a secret key"),
                    Browser.find(Browser.PUBLIC_KEY, page, "a public key"), System.currentTimeMillis());
            (isLimited ? limited : bulk).add(account);
        }
        System.out.printf("soak: %d accounts signed up (%d held to %d/min), %d nodes, %d req/s for %d s%n",
                accounts + limitedCount, limitedCount, LIMIT, nodes.size(), rate, seconds);

        Ledger ledger = new Ledger();
        Load load = new Load(http, nodes, bulk, limited, ledger);
        load.warmUp(Integer.parseInt(env.getOrDefault("SOAK_WARMUP_PER_NODE", "200")));
        Files.writeString(work.resolve("started"), Long.toString(System.currentTimeMillis()));
        load.run(seconds, rate,
                Long.parseLong(env.getOrDefault("SOAK_LIMITED_EVERY_MS", "250")),
                Long.parseLong(env.getOrDefault("SOAK_DASHBOARD_EVERY_MS", "1500")), Duration.ofSeconds(20));

        for (int waited = 0; !Files.exists(work.resolve("faults.done")) && waited < 300; waited++) {
            Thread.sleep(1_000);
        }
        List<Ledger.Fault> faults = Ledger.faults(work.resolve("faults"));
        long notInDatabase = lost(db, ledger.createdPayments.keySet());
        int sample = Integer.parseInt(env.getOrDefault("SOAK_READBACK", "1000"));
        long notReadBack = load.readBack(sample);
        long lost = Math.max(notInDatabase, notReadBack);
        long[] outside = ledger.failuresOutside(faults, grace);
        long overAdmitted = ledger.overAdmitted(LIMIT, nodeCount, faults, grace);
        long false401 = ledger.false401();
        Path rss = work.resolve("rss_growth_mb");
        String rssGrowth = Files.exists(rss) ? Files.readString(rss).strip() : "unknown";

        Map<String, Long> tally = ledger.tally();
        tally.forEach((what, count) -> System.out.printf("  %-36s %d%n", what, count));
        long sentApi = tally.entrySet().stream().filter(e -> !e.getKey().startsWith("dashboard")
                && !e.getKey().startsWith("skipped")).mapToLong(Map.Entry::getValue).sum();
        System.out.printf("API requests sent: %d, %.0f a second (asked: %d)%n", sentApi, sentApi / (double) seconds, rate);
        faults.forEach(f -> System.out.printf("fault %s%s: %.1f s%n", f.kind(), f.port() == 0 ? "" : " :" + f.port(),
                (f.end() - f.start()) / 1e3));
        System.out.printf("payments created (201): %d, not in the database: %d, of %d read back through the API "
                + "not 200: %d%n", ledger.createdPayments.size(), notInDatabase,
                Math.min(sample, ledger.createdPayments.size()), notReadBack);
        System.out.printf("limited accounts with accepted requests: %d; "
                + "no answer outside faults (connection refused/reset/timeout): %d; fault grace %d s%n",
                ledger.acceptedAccounts(), outside[1], grace / 1_000);
        System.out.printf("lost_writes=%d over_admitted=%d false_401=%d http_5xx_outside_faults=%d rss_growth_mb=%s%n",
                lost, overAdmitted, false401, outside[0], rssGrowth);
        http.close();
        System.exit(0);
    }

    /** Node 1's certificate as the only trust anchor. */
    private static SSLContext trusting(Path keystore, Path passwordFile) throws Exception {
        char[] password = Files.readString(passwordFile).strip().toCharArray();
        KeyStore generated = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            generated.load(in, password);
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (String alias : Collections.list(generated.aliases())) {
            trusted.setCertificateEntry(alias, generated.getCertificate(alias));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** The id of the account signed up with {@code email}, its limit set before any API call. */
    private static String accountId(String db, String email, int limit) throws Exception {
        try (Connection c = DriverManager.getConnection(db);
                PreparedStatement update = c.prepareStatement(
                        "UPDATE accounts SET rate_limit = ? WHERE email = ? RETURNING id")) {
            update.setInt(1, limit);
            update.setString(2, email);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no account for " + email);
                }
                return rs.getString(1);
            }
        }
    }

    /** Payments answered {@code 201} that the database does not hold. */
    private static long lost(String db, Set<String> created) throws Exception {
        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection(db);
                PreparedStatement select = c.prepareStatement("SELECT id FROM payments");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        return created.stream().filter(id -> !stored.contains(id)).count();
    }
}
