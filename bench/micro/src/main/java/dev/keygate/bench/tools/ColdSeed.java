package dev.keygate.bench.tools;

import dev.keygate.core.Ids;
import dev.keygate.core.keys.KeyDigest;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Seeds a fresh key table for {@link ColdVerify} and picks the keys it will time. */
final class ColdSeed {

    static final int KEYS_PER_ACCOUNT = 100;

    private ColdSeed() {}

    /** Seeds {@code n} keys and returns the text of those that will be timed, shuffled over the table. */
    static List<String> seedAndPick(String kind, String url, int n, int samples, SplittableRandom random)
            throws SQLException {
        // Which keys will be timed: distinct picks for as long as the table has fresh ones.
        int distinct = Math.min(n, samples + ColdVerify.WARMUP);
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
}
