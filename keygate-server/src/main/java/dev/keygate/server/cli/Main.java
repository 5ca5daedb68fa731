package dev.keygate.server.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.keygate.core.ConflictException;
import dev.keygate.core.Ids;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.dashboard.AuditEvent;
import dev.keygate.core.keys.IssuedKey;
import dev.keygate.core.keys.KeyRecord;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.core.keys.Keys;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.dashboard.Argon2Hasher;
import dev.keygate.server.runtime.Config;
import dev.keygate.server.runtime.ConfigException;
import dev.keygate.server.runtime.Keygate;
import dev.keygate.server.runtime.Storage;
import dev.keygate.store.jdbc.Database;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The {@code keygate} program (SPEC section 10): {@code serve} (the default) and the admin
 * commands, which work on the store directly, also while a server runs.
 */
public final class Main {

    static final String USAGE = """
            usage: keygate [serve] [--data-dir D] [--https-port P] [--http-port P] [--rate-limit N] …
                   keygate account create --name N --email E      (password on stdin)
                   keygate account limit --account A --per-minute N
                   keygate key create --account A --type secret|public --env test|live [--name N]
                   keygate key list --account A
                   keygate key delete KEY_ID
            Every KEYGATE_* variable can be given as a flag: KEYGATE_DATA_DIR as --data-dir, and so on.""";

    private final Map<String, String> environment;
    private final BufferedReader stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    Main(Map<String, String> environment, BufferedReader stdin, PrintStream out, PrintStream err, Clock clock) {
        this.environment = environment;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        Main main = new Main(System.getenv(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out, System.err, Clock.systemUTC());
        System.exit(main.run(List.of(args)));
    }

    /** Runs one command; returns the exit status (0 ok, 1 refused, 2 usage or configuration). */
    int run(List<String> args) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < args.size() && !args.get(i).startsWith("-") && words.size() < 2) {
            words.add(args.get(i++));
        }
        List<String> rest = args.subList(i, args.size());
        String command = String.join(" ", words);
        try {
            return switch (command) {
                case "", "serve" -> serve(rest);
                case "account create" -> accountCreate(rest);
                case "account limit" -> accountLimit(rest);
                case "key create" -> keyCreate(rest);
                case "key list" -> keyList(rest);
                case "key delete" -> keyDelete(rest);
                case "help" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> {
                    err.println("keygate: unknown command \"" + command + "\"\n" + USAGE);
                    yield 2;
                }
            };
        } catch (ConfigException e) {
            err.println("keygate: " + e.getMessage());
            return 2;
        } catch (InvalidInputException | ConflictException e) {
            err.println("keygate: " + e.getMessage());
            return 1;
        } catch (StoreUnavailableException e) {
            err.println("keygate: " + e.getMessage());
            return 1;
        }
    }

    private int serve(List<String> flags) {
        Config config = Config.load(environment, flags);
        Keygate keygate = Keygate.start(config, clock);
        if (keygate.generatedCertificate()) {
            out.println("Generated a self-signed TLS certificate: " + keygate.keystore());
        }
        out.println("TLS certificate SHA-256 fingerprint: " + keygate.fingerprint());
        out.println("Keygate listening on https://localhost:" + keygate.httpsPort()
                + keygate.httpPort().stream().mapToObj(p -> " (plain HTTP on port " + p + " answers 403)")
                        .findFirst().orElse(""));
        out.flush();
        // SIGTERM and SIGINT stop the server in order and end the JVM normally (status 0), which
        // also lets the JVM write the start-up cache that bin/keygate asks for.
        CountDownLatch stopping = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), ignored -> stopping.countDown());
        }
        try {
            stopping.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keygate.close();
        // Buffered log lines (the access log's last 200 ms) are written before the JVM exits.
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.stop();
        }
        return 0;
    }

    private int accountCreate(List<String> args) {
        Options options = Options.parse(args, List.of("name", "email"), List.of());
        String password = readPassword();
        try (KeyStore store = openStore(options)) {
            Account account = new Accounts(store, new Argon2Hasher(), clock, new Ids(new SecureRandom()))
                    .create(options.get("name"), options.get("email"), password);
            out.println(account.id());
        }
        return 0;
    }

    private int accountLimit(List<String> args) {
        Options options = Options.parse(args, List.of("account", "per-minute"), List.of());
        int perMinute;
        try {
            perMinute = Integer.parseInt(options.get("per-minute"));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("per-minute", "--per-minute must be a whole number");
        }
        try (KeyStore store = openStore(options)) {
            new Accounts(store, new Argon2Hasher(), clock, new Ids(new SecureRandom()))
                    .setRateLimit(options.get("account"), perMinute);
            out.println(options.get("account") + " may make " + perMinute + " requests per 60 seconds per environment");
        }
        return 0;
    }

    private int keyCreate(List<String> args) {
        Options options = Options.parse(args, List.of("account", "type", "env"), List.of("name"));
        KeyType type = parse(() -> KeyType.fromLabel(options.get("type")), "type");
        Environment env = parse(() -> Environment.fromLabel(options.get("env")), "env");
        try (Database stores = openStores(options)) {
            IssuedKey issued = keys(stores.keys()).create(options.get("account"), type, env, options.optional("name"));
            audit(stores, issued.record().accountId(), "key.created", issued.record().id());
            // The key is shown this once; only its digest is kept.
            out.println(issued.key().reveal());
            out.println(issued.record().id());
        }
        return 0;
    }

    private int keyList(List<String> args) {
        Options options = Options.parse(args, List.of("account"), List.of());
        try (KeyStore store = openStore(options)) {
            List<KeyRecord> keys = keys(store).list(options.get("account"));
            Instant now = clock.instant();
            out.printf("%-20s %-6s %-4s %-17s %-9s %-24s %-24s %-24s %-8s %s%n", "ID", "TYPE", "ENV", "KEY", "STATUS",
                    "CREATED", "LAST USED", "EXPIRES", "EXPOSED", "NAME");
            for (KeyRecord key : keys) {
                out.printf("%-20s %-6s %-4s %-17s %-9s %-24s %-24s %-24s %-8s %s%n", key.id(), key.type().label(),
                        key.environment().label(), key.masked(), key.status(now).label(), key.createdAt(),
                        key.lastUsedAt().map(Instant::toString).orElse("never"),
                        key.expiresAt().map(Instant::toString).orElse("never"),
                        key.exposedAt().isPresent() ? "EXPOSED" : "no", key.name());
            }
        }
        return 0;
    }

    private int keyDelete(List<String> args) {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            throw new InvalidInputException("key", "usage: keygate key delete KEY_ID");
        }
        String keyId = args.get(0);
        Options options = Options.parse(args.subList(1, args.size()), List.of(), List.of());
        try (Database stores = openStores(options)) {
            Optional<KeyRecord> key = stores.keys().findKey(keyId);
            if (key.isEmpty() || !keys(stores.keys()).delete(keyId)) {
                throw new InvalidInputException("key", "no active key " + keyId);
            }
            audit(stores, key.get().accountId(), "key.deleted", keyId);
            out.println("deleted " + keyId);
        }
        return 0;
    }

    private Keys keys(KeyStore store) {
        return new Keys(store, clock, new SecureRandom());
    }

    private KeyStore openStore(Options options) {
        return openStores(options).keys();
    }

    private Database openStores(Options options) {
        return Storage.openStores(Config.load(environment, options.configFlags()));
    }

    /** Key operations from the CLI go to the account's audit log too, as done by {@code cli} on this host. */
    private void audit(Database stores, String accountId, String action, String keyId) {
        stores.dashboard().insertAudit(new AuditEvent(accountId, "cli", action, Optional.of(keyId), "local",
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
    }

    private String readPassword() {
        Console console = System.console();
        if (console != null && stdin == null) {
            char[] typed = console.readPassword("Password: ");
            return typed == null ? "" : new String(typed);
        }
        try {
            String line = stdin.readLine();
            if (line == null || line.isEmpty()) {
                throw new InvalidInputException("password", "give the password on stdin, for example: "
                        + "printf '%s\\n' \"$PASSWORD\" | keygate account create --name N --email E");
            }
            return line;
        } catch (IOException e) {
            throw new InvalidInputException("password", "could not read the password from stdin");
        }
    }

    private static <T> T parse(java.util.function.Supplier<T> parser, String param) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(param, "--" + param + ": " + e.getMessage());
        }
    }

    /** A command's own {@code --name value} options; the rest are configuration flags. */
    record Options(Map<String, String> values, List<String> configFlags) {

        static Options parse(List<String> args, List<String> required, List<String> optional) {
            Map<String, String> values = new LinkedHashMap<>();
            List<String> config = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String name = arg.startsWith("--") ? arg.substring(2) : arg;
                String value = null;
                int equals = name.indexOf('=');
                if (equals > 0) {
                    value = name.substring(equals + 1);
                    name = name.substring(0, equals);
                }
                if (arg.startsWith("--") && (required.contains(name) || optional.contains(name))) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new InvalidInputException(name, "--" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    values.put(name, value);
                } else {
                    config.add(arg);
                }
            }
            for (String name : required) {
                if (!values.containsKey(name)) {
                    throw new InvalidInputException(name, "--" + name + " is required\n" + USAGE);
                }
            }
            return new Options(values, config);
        }

        String get(String name) {
            return values.get(name);
        }

        Optional<String> optional(String name) {
            return Optional.ofNullable(values.get(name));
        }
    }
}
