package dev.keygate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.core.ServerSecret;
import dev.keygate.store.jdbc.Database;
import dev.keygate.store.sqlite.SqliteStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server secret on disk: made once, kept private, the same for every node of a database. */
class ServerSecretsTest {

    @TempDir
    Path dir;

    @Test
    void loadWhenNoneThenGeneratedReadableByTheOwnerOnlyAndTheSameOnEveryLaterLoad() throws Exception {
        Path dataDir = dir.resolve("data");

        ServerSecret first = ServerSecrets.load(dataDir, new SecureRandom());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("server-secret"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        assertThat(ServerSecrets.load(dataDir, new SecureRandom()).fingerprint()).isEqualTo(first.fingerprint());
    }

    @Test
    void loadWhenManyProcessesStartAtOnceThenAllGetOneSecret() throws Exception {
        List<Future<String>> loads = new ArrayList<>();
        try (ExecutorService starts = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                loads.add(starts.submit(() -> ServerSecrets.load(dir, new SecureRandom()).fingerprint()));
            }
        }
        String fingerprint = loads.get(0).get();
        for (Future<String> load : loads) {
            assertThat(load.get()).isEqualTo(fingerprint);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("server-secret");
        }
    }

    @Test
    void loadWhenFileIsNotASecretThenRefusedNamingTheFileNotItsContent() throws Exception {
        Files.writeString(dir.resolve("server-secret"), "c2hvcnQ=\n");

        assertThatThrownBy(() -> ServerSecrets.load(dir, new SecureRandom()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KEYGATE_DATA_DIR").hasMessageContaining("server-secret")
                .hasMessageNotContaining("c2hvcnQ");
    }

    @Test
    void requireSameAsOtherNodesWhenDatabaseFirstUsedWithAnotherSecretThenRefused() {
        ServerSecret node1 = ServerSecrets.load(dir.resolve("node1"), new SecureRandom());
        ServerSecret node2 = ServerSecrets.load(dir.resolve("node2"), new SecureRandom());
        try (Database stores = SqliteStores.open(dir.resolve("shared.db"))) {
            ServerSecrets.requireSameAsOtherNodes(node1, stores.rotations(), dir.resolve("node1"));
            ServerSecrets.requireSameAsOtherNodes(node1, stores.rotations(), dir.resolve("node1"));

            assertThatThrownBy(() -> ServerSecrets.requireSameAsOtherNodes(node2, stores.rotations(),
                    dir.resolve("node2")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(dir.resolve("node2").resolve("server-secret").toString())
                    .hasMessageContaining("copy it from another node");
        }
    }
}
