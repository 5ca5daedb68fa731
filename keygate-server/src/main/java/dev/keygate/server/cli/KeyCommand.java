package dev.keygate.server.cli;

import dev.keygate.core.InvalidInputException;
import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.runtime.ConfigOptions;
import dev.keygate.server.runtime.Storage;
import dev.keygate.store.jdbc.Database;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keygate key create|list|delete}: API keys, on the store directly (SPEC section 10). */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Create, list or delete API keys.")
final class KeyCommand {

    private static final String ROW = "%-20s %-6s %-4s %-17s %-9s %-24s %-24s %-24s %-8s %s%n";

    private final CliContext context;

    KeyCommand(CliContext context) {
        this.context = context;
    }


    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key. Prints the key (this once; only its digest is kept), then its id.")
    int create(@Option(names = "--account", required = true, paramLabel = "A") String accountId,
            @Option(names = "--type", required = true, paramLabel = "secret|public") String typeLabel,
            @Option(names = "--env", required = true, paramLabel = "test|live") String envLabel,
            @Option(names = "--name", paramLabel = "N") Optional<String> name,
            @Mixin ConfigOptions config) {
        KeyType type = parse(() -> KeyType.fromLabel(typeLabel), "type");
        if (type == KeyType.RESTRICTED) {
            // Creating one needs the policy flags of SPEC section 12, which are not there yet.
            throw new InvalidInputException("type", "--type: key type must be public or secret");
        }
        Environment env = parse(() -> Environment.fromLabel(envLabel), "env");
        try (Database stores = Storage.openStores(config.config())) {
            IssuedKey issued = keys(stores.keys()).create(accountId, type, env, name);
            audit(stores, issued.record().accountId(), "key.created", issued.record().id());
            context.out().println(issued.key().reveal());
            context.out().println(issued.record().id());
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the account's keys.")
    int list(@Option(names = "--account", required = true, paramLabel = "A") String accountId,
            @Mixin ConfigOptions config) {
        try (KeyStore store = Storage.openStores(config.config()).keys()) {
            List<KeyRecord> keys = keys(store).list(accountId);
            Instant now = context.clock().instant();
            PrintStream out = context.out();
            out.printf(ROW, "ID", "TYPE", "ENV", "KEY", "STATUS", "CREATED", "LAST USED", "EXPIRES", "EXPOSED", "NAME");
            for (KeyRecord key : keys) {
                out.printf(ROW, key.id(), key.type().label(), key.environment().label(), key.masked(),
                        key.status(now).label(), key.createdAt(),
                        key.lastUsedAt().map(Instant::toString).orElse("never"),
                        key.expiresAt().map(Instant::toString).orElse("never"),
                        key.exposedAt().isPresent() ? "EXPOSED" : "no", key.name());
            }
        }
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a key at once.")
    int delete(@Parameters(paramLabel = "KEY_ID") String keyId, @Mixin ConfigOptions config) {
        try (Database stores = Storage.openStores(config.config())) {
            Optional<KeyRecord> key = stores.keys().findKey(keyId);
            if (key.isEmpty() || !keys(stores.keys()).delete(keyId)) {
                throw new InvalidInputException("key", "no active key " + keyId);
            }
            audit(stores, key.get().accountId(), "key.deleted", keyId);
            context.out().println("deleted " + keyId);
        }
        return 0;
    }

    private Keys keys(KeyStore store) {
        return new Keys(store, context.clock(), new SecureRandom());
    }

    /** Key operations from the CLI go to the account's audit log too, as done by {@code cli} on this host. */
    private void audit(Database stores, String accountId, String action, String keyId) {
        stores.dashboard().insertAudit(new AuditEvent(accountId, "cli", action, Optional.of(keyId), "local",
                context.clock().instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    private static <T> T parse(Supplier<T> parser, String param) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(param, "--" + param + ": " + e.getMessage());
        }
    }
}
