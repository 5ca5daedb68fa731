package dev.keygate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.core.Ids;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.accounts.PasswordHasher;
import dev.keygate.core.keys.Keys;
import dev.keygate.core.testing.CpuBurner;
import dev.keygate.server.runtime.Storage;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.store.jdbc.Database;
import dev.keygate.store.postgres.PostgresStores;
import dev.keygate.store.postgres.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes on loopback sharing this machine's PostgreSQL and Redis (issue 6): a key
 * works on every node, a deletion reaches every node within a second, and one rate limit holds
 * across all of them, also on a busy machine (issue 16). The nodes are started once for the class;
 * each test uses accounts of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreeNodesTest {

    private static final String REDIS_URL = System.getenv().getOrDefault("KEYGATE_TEST_REDIS", "redis://127.0.0.1:6379");

    @TempDir
    static Path dir;

    private TestDatabase database;
    private final List<KeygateProcess> nodes = new ArrayList<>();
    private Map<String, String> cliEnvironment;
    private final List<String> accounts = new ArrayList<>();
    private HttpClient client;
    /** The shared database, for making accounts and keys without starting a CLI process each time. */
    private Database direct;

    @BeforeAll
    void startThreeNodes() throws Exception {
        requireRedis();
        database = TestDatabase.create();
        direct = PostgresStores.open(database.url());
        cliEnvironment = Map.of("KEYGATE_DATABASE_URL", database.url(), "KEYGATE_DATA_DIR",
                dir.resolve("cli").toString());
        Path tls = dir.resolve("node1").resolve("tls");
        for (int node = 1; node <= 3; node++) {
            Map<String, String> environment = new HashMap<>(Map.of(
                    "KEYGATE_DATA_DIR", dir.resolve("node" + node).toString(),
                    "KEYGATE_HTTPS_PORT", "0",
                    "KEYGATE_DATABASE_URL", database.url(),
                    "KEYGATE_REDIS_URL", REDIS_URL,
                    "KEYGATE_NODE_COUNT", "3"));
            if (node > 1) {
                // Behind one load balancer name, all nodes serve the same certificate, and share the
                // server secret, as docs/deploy.md sets them up.
                Path data = Files.createDirectories(dir.resolve("node" + node));
                Files.copy(dir.resolve("node1").resolve("server-secret"), data.resolve("server-secret"));
                environment.put("KEYGATE_TLS_KEYSTORE", tls.resolve("keygate.p12").toString());
                environment.put("KEYGATE_TLS_KEYSTORE_PASSWORD", Files.readString(tls.resolve("keygate.p12.password")).strip());
            }
            nodes.add(KeygateProcess.serve(environment, dir.resolve("node" + node + ".log")));
        }
        client = KeygateProcess.clientTrusting(dir.resolve("node1"));
    }

    @AfterAll
    void stopNodes() throws Exception {
        for (KeygateProcess node : nodes) {
            node.close();
        }
        if (direct != null) {
            direct.close();
        }
        if (database != null) {
            database.close();
        }
        deleteRateLimitKeys();
    }

    /** The test's own Redis keys: those of the accounts it made. */
    private void deleteRateLimitKeys() {
        if (accounts.isEmpty()) {
            return;
        }
        Vertx vertx = Vertx.vertx();
        try {
            List<String> keys = accounts.stream()
                    .flatMap(account -> Stream.of("test", "live").map(env -> Storage.REDIS_PREFIX + "rl:" + account + ":" + env))
                    .toList();
            RedisAPI.api(Redis.createClient(vertx, REDIS_URL)).del(keys).await();
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void keyCreatedOnOneNodeWorksOnAnotherAndADeletionReachesEveryNodeWithinOneSecond() throws Exception {
        String account = account();
        String key = createKey(account);
        assertThat(nodes.get(2).get(client, "/api/v1/ping", key).statusCode()).isEqualTo(200);
        for (KeygateProcess node : nodes) {
            // Every node has the key cached now.
            assertThat(node.get(client, "/api/v1/ping", key).statusCode()).isEqualTo(200);
        }
        String keyId = KeygateProcess.cli(cliEnvironment, "", "key", "list", "--account", account).get(1).split("\\s+")[0];

        KeygateProcess.cli(cliEnvironment, "", "key", "delete", keyId);
        long deleted = System.nanoTime();
        long[] refusedAfterMillis = new long[3];
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response;
            do {
                response = nodes.get(i).get(client, "/api/v1/ping", key);
            } while (response.statusCode() == 200 && System.nanoTime() - deleted < TimeUnit.SECONDS.toNanos(5));
            refusedAfterMillis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deleted);
            assertThat(new JsonObject(response.body()).getString("code")).isEqualTo("invalid_api_key");
        }
        System.out.printf("deletion refused on nodes 1, 2, 3 after %d, %d, %d ms%n",
                refusedAfterMillis[0], refusedAfterMillis[1], refusedAfterMillis[2]);
        assertThat(java.util.Arrays.stream(refusedAfterMillis).max().orElseThrow()).isLessThan(1_000);
    }

    /** Both cores saturated by the test: a slow Redis answer is not an outage (SPEC section 4). */
    @RepeatedTest(20)
    void fourHundredRequestsSpreadOverThreeNodesOnBusyCoresAcceptExactlyTheLimit() throws Exception {
        String key = createKey(account());
        List<Integer> logStarts = new ArrayList<>();
        for (KeygateProcess node : nodes) {
            logStarts.add(Files.readString(node.log()).length());
            node.get(client, "/healthz", key); // connected before the cores get busy; not rate-limited
        }
        long start = System.nanoTime();
        Map<Integer, Integer> statuses = new HashMap<>();
        try (CpuBurner burner = CpuBurner.start()) {
            for (int i = 0; i < 400; i++) {
                int status = nodes.get(i % 3).get(client, "/api/v1/ping", key).statusCode();
                statuses.merge(status, 1, Integer::sum);
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        System.out.printf("400 requests over 3 busy nodes in %d s: %s%n", seconds, statuses);
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(200, 120, 429, 280));
        for (int i = 0; i < nodes.size(); i++) {
            assertThat(Files.readString(nodes.get(i).log()).substring(logStarts.get(i)))
                    .as("this repetition's log").doesNotContain("Redis did not answer");
        }
    }

    /** An account made in the database, as the CLI makes one (the CLI itself is tested elsewhere). */
    private String account() {
        SecureRandom random = new SecureRandom();
        String account = new Accounts(direct.keys(), PASSWORDS, Clock.systemUTC(), new Ids(random))
                .create("Shop", "owner-" + System.nanoTime() + "@example.com", "correct horse battery staple").id();
        accounts.add(account);
        return account;
    }

    private String createKey(String account) {
        return new Keys(direct.keys(), Clock.systemUTC(), new SecureRandom())
                .create(account, KeyType.SECRET, Environment.TEST, Optional.empty()).key().reveal();
    }

    /** Logins are not tested here: a hash that costs nothing. */
    private static final PasswordHasher PASSWORDS = new PasswordHasher() {
        @Override
        public String hash(String password) {
            return "plain:" + password;
        }

        @Override
        public boolean matches(String password, String hash) {
            return hash.equals("plain:" + password);
        }
    };

    private static void requireRedis() {
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            socket.getOutputStream();
        } catch (IOException e) {
            if ("1".equals(System.getenv("KEYGATE_REQUIRE_SERVICES"))) {
                throw new AssertionError("Redis is required (KEYGATE_REQUIRE_SERVICES=1) but does not answer", e);
            }
            Assumptions.abort("no Redis at 127.0.0.1:6379");
        }
    }
}
