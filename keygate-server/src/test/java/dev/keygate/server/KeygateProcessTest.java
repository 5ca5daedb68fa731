package dev.keygate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program as a user runs it: {@code keygate serve} in one process, the admin CLI in others,
 * on one data directory. Covers what only separate processes show: a deletion made by another
 * process is seen within a second, and no key reaches the database file or the log.
 */
class KeygateProcessTest {

    @TempDir
    Path dataDir;

    private KeygateProcess server;
    private Path serverLog;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void keysMadeByTheCliWorkAtOnceAndADeletionByAnotherProcessIsRefusedWithinOneSecond() throws Exception {
        int port = startServer();
        HttpClient client = clientTrusting(dataDir);
        String account = cli("correct horse battery staple\n", "account create", "--name", "Shop", "--email",
                "owner@example.com").get(0);
        List<String> secret = cli("", "key create", "--account", account, "--type", "secret", "--env", "test");
        List<String> publishable = cli("", "key create", "--account", account, "--type", "public", "--env", "live");

        assertThat(ping(client, port, secret.get(0)).statusCode()).isEqualTo(200);
        HttpResponse<String> live = ping(client, port, publishable.get(0));
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(live.body()).getString("environment")).isEqualTo("live");
        assertThat(new JsonObject(live.body()).getString("key_type")).isEqualTo("public");

        assertThat(cli("", "key delete", secret.get(1))).containsExactly("deleted " + secret.get(1));
        // SPEC section 7: another process's deletion is refused within 1 second.
        HttpResponse<String> refused = await("the deletion seen by the server").pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(1))
                .until(() -> ping(client, port, secret.get(0)), response -> response.statusCode() != 200);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("invalid_api_key");
    }

    @Test
    void noKeyReachesTheDatabaseFileOrTheLog() throws Exception {
        int port = startServer();
        HttpClient client = clientTrusting(dataDir);
        String account = cli("correct horse battery staple\n", "account create", "--name", "Shop", "--email",
                "owner@example.com").get(0);
        List<String> keys = new ArrayList<>();
        for (String env : List.of("test", "live")) {
            for (String type : List.of("secret", "public")) {
                keys.add(cli("", "key create", "--account", account, "--type", type, "--env", env).get(0));
            }
        }
        for (String key : keys) {
            assertThat(ping(client, port, key).statusCode()).isEqualTo(200);
            // Refused requests are logged too: none of them may log the key.
            assertThat(send(client, port, "/api/v1/ping?api_key=" + key, key).statusCode()).isEqualTo(400);
            assertThat(send(client, port, "/api/v1/ping;api_key=" + key, key).statusCode()).isEqualTo(400);
            assertThat(send(client, port, "/api/v1/payments/" + key, key).statusCode()).isEqualTo(400);
            assertThat(send(client, port, "/api/v1/ping", key + "x").statusCode()).isEqualTo(401);
        }
        List<String> listed = cli("", "key list", "--account", account);
        server.stop();

        String log = Files.readString(serverLog, StandardCharsets.UTF_8);
        assertThat(log).contains("GET /api/v1/ping 200");
        assertThat(log).doesNotContain("has been blocked for");
        byte[] database = databaseBytes();
        for (String key : keys) {
            String random = key.substring(8, 40);
            assertThat(log).doesNotContain(random);
            assertThat(String.join("\n", listed)).doesNotContain(random);
            if (key.startsWith("sk_")) {
                assertThat(indexOf(database, random.getBytes(StandardCharsets.US_ASCII)))
                        .as("secret key in the database files").isEqualTo(-1);
            } else {
                // A publishable key may be shown again in the dashboard, so it is stored as it is.
                assertThat(indexOf(database, key.getBytes(StandardCharsets.US_ASCII))).isNotEqualTo(-1);
            }
        }
        // The last uses were written when the server stopped.
        List<String> after = cli("", "key list", "--account", account);
        assertThat(after).hasSize(5);
        assertThat(after.get(0).split("\\s+")[6]).isEqualTo("LAST");
        assertThat(after.subList(1, after.size()))
                .allSatisfy(line -> assertThat(line.split("\\s+")[6]).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
    }

    @Test
    void connectionsAreServedOnEveryCore() throws Exception {
        int port = startServer();
        String account = cli("correct horse battery staple\n", "account create", "--name", "Shop", "--email",
                "owner@example.com").get(0);
        String key = cli("", "key create", "--account", account, "--type", "secret", "--env", "test").get(0);
        // Each client holds its own connection; Vert.x hands new connections to its event loops in turn.
        for (int connection = 0; connection < 16; connection++) {
            HttpClient client = clientTrusting(dataDir);
            for (int request = 0; request < 7; request++) { // 16 x 7 stays within the limit of 120
                assertThat(ping(client, port, key).statusCode()).isEqualTo(200);
            }
        }

        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Long> cpuTicksByEventLoop = new java.util.TreeMap<>();
        try (Stream<Path> threads = Files.list(Path.of("/proc", String.valueOf(server.pid()), "task"))) {
            for (Path thread : threads.toList()) {
                // comm holds the first 15 characters of the name: "vert.x-eventloo"
                if (Files.readString(thread.resolve("comm")).startsWith("vert.x-eventloo")) {
                    String[] stat = Files.readString(thread.resolve("stat")).replaceFirst(".*\\) ", "").split(" ");
                    cpuTicksByEventLoop.put(thread.getFileName().toString(),
                            Long.parseLong(stat[11]) + Long.parseLong(stat[12]));
                }
            }
        }
        assertThat(cpuTicksByEventLoop).as("CPU ticks of each event loop thread").hasSize(cores);
        assertThat(cpuTicksByEventLoop.values()).as("CPU ticks of each event loop thread").allMatch(ticks -> ticks > 0);
    }

    @Test
    void badConfigurationStopsStartUpWithOneLineNamingTheVariable() throws Exception {
        Process process = KeygateProcess.command(List.of("serve", "--data-dir", dataDir.toString()),
                        Map.of("KEYGATE_HTTPS_PORT", "https"))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output.strip().lines().filter(line -> !line.startsWith("WARNING"))).containsExactly(
                "keygate: KEYGATE_HTTPS_PORT: must be a whole number from 0 to 65535, got \"https\"");
    }

    private int startServer() throws IOException {
        serverLog = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        server = KeygateProcess.serve(Map.of("KEYGATE_DATA_DIR", dataDir.toString(), "KEYGATE_HTTPS_PORT", "0"),
                serverLog);
        return server.port();
    }

    /** Runs {@code keygate <command> <args>} on this test's data directory; returns its stdout lines. */
    private List<String> cli(String stdin, String command, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(command.split(" ")));
        argv.addAll(List.of(args));
        return KeygateProcess.cli(Map.of("KEYGATE_DATA_DIR", dataDir.toString()), stdin, argv.toArray(String[]::new));
    }

    private static HttpResponse<String> ping(HttpClient client, int port, String key) throws Exception {
        return send(client, port, "/api/v1/ping", key);
    }

    private static HttpResponse<String> send(HttpClient client, int port, String path, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(10))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient clientTrusting(Path dataDir) throws Exception {
        return KeygateProcess.clientTrusting(dataDir);
    }

    private byte[] databaseBytes() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            List<Path> db = files.filter(f -> f.getFileName().toString().startsWith("keygate.db")).toList();
            assertThat(db).isNotEmpty();
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (Path file : db) {
                all.write(Files.readAllBytes(file));
            }
            return all.toByteArray();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
