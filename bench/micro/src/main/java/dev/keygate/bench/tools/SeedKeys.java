package dev.keygate.bench.tools;

import dev.keygate.core.Ids;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.PasswordHasher;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.store.sqlite.SqliteKeyStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * Seeds a data directory for the HTTP benchmark through Keygate's own {@link Accounts} and
 * {@link Keys}, as the admin CLI does, but in one process: {@code accounts} accounts, each with
 * its own limit per minute and {@code keysPerAccount} secret test keys. Writes the keys, one a line,
 * to {@code keysFile} (the benchmark's wrk script sends them in turn).
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.keygate.bench.tools.SeedKeys DATA_DIR ACCOUNTS KEYS_PER_ACCOUNT PER_MINUTE KEYS_FILE
 * }</pre>
 */
public final class SeedKeys {

    private SeedKeys() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: SeedKeys DATA_DIR ACCOUNTS KEYS_PER_ACCOUNT PER_MINUTE KEYS_FILE");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]);
        int accountCount = Integer.parseInt(args[1]);
        int keysPerAccount = Integer.parseInt(args[2]);
        int perMinute = Integer.parseInt(args[3]);
        Path keysFile = Path.of(args[4]);
        Files.createDirectories(dataDir);

        long start = System.nanoTime();
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        // Benchmark accounts never log in to the dashboard: a stand-in hasher spares 500 Argon2id runs.
        PasswordHasher noLogin = new PasswordHasher() {
            @Override
            public String hash(String password) {
                return "bench-account-without-login";
            }

            @Override
            public boolean matches(String password, String hash) {
                return false;
            }
        };
        int written = 0;
        try (KeyStore store = SqliteKeyStore.open(dataDir.resolve("keygate.db"));
                BufferedWriter out = Files.newBufferedWriter(keysFile, StandardCharsets.US_ASCII)) {
            Accounts accounts = new Accounts(store, noLogin, clock, new Ids(random));
            Keys keys = new Keys(store, clock, random);
            for (int a = 0; a < accountCount; a++) {
                Account account = accounts.create("Bench " + a, "bench" + a + "@example.test", "bench-password-" + a);
                accounts.setRateLimit(account.id(), perMinute);
                for (int k = 0; k < keysPerAccount; k++) {
                    IssuedKey issued = keys.create(account.id(), KeyType.SECRET, Environment.TEST, Optional.of("bench"));
                    out.write(issued.key().reveal());
                    out.newLine();
                    written++;
                }
            }
        }
        System.out.printf("seeded %d accounts (limit %d/min each) and %d keys in %.1f s%n",
                accountCount, perMinute, written, (System.nanoTime() - start) / 1e9);
    }
}
