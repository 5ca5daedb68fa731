package dev.keygate.server.runtime;

import dev.keygate.core.ServerSecret;
import dev.keygate.core.rotation.RotationStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * Where the server's secret ({@link ServerSecret}) is kept: {@code <data dir>/server-secret}, one
 * Base64 line, readable by its owner only, generated on first start. Nodes that share a database
 * must share this file too (docs/deploy.md): a node started with another one is refused.
 */
final class ServerSecrets {

    static final String FILE = "server-secret";

    private ServerSecrets() {}

    /**
     * Reads the data directory's secret, generating it first if there is none. Two processes
     * starting at once on one directory end with the same secret: the file appears whole or not at
     * all (a hard link of a finished file), and the loser reads the winner's.
     *
     * @throws ConfigException if it cannot be created or read, or is not a secret
     */
    static ServerSecret load(Path dataDir, RandomGenerator random) {
        Path file = dataDir.resolve(FILE);
        try {
            Storage.ownerOnlyDirectory(dataDir);
            if (Files.notExists(file)) {
                Path partial = Files.createTempFile(dataDir, FILE, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.writeString(partial, Base64.getEncoder().encodeToString(
                            ServerSecret.generate(random).bytes()) + "\n", StandardCharsets.US_ASCII);
                    Files.createLink(file, partial);
                } catch (FileAlreadyExistsException e) {
                    // Another process made it first: use theirs.
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
            byte[] bytes = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            return new ServerSecret(bytes, random);
        } catch (IOException e) {
            throw new ConfigException("KEYGATE_DATA_DIR", "cannot create or read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("KEYGATE_DATA_DIR", file + " is not a server secret ("
                    + ServerSecret.LENGTH + " bytes in Base64); restore it from a backup or from another node");
        }
    }

    /**
     * @throws ConfigException if the database was first used with another secret: nodes that share
     *     a database share the secret, or a code mailed by one node fails on another
     */
    static void requireSameAsOtherNodes(ServerSecret secret, RotationStore store, Path dataDir) {
        if (!store.recordSecretFingerprint(secret.fingerprint()).equals(secret.fingerprint())) {
            throw new ConfigException("KEYGATE_DATA_DIR", dataDir.resolve(FILE) + " is not the server secret "
                    + "this database was first used with; nodes that share a database share it: copy it from "
                    + "another node (docs/deploy.md)");
        }
    }
}
