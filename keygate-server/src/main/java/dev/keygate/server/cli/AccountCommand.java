package dev.keygate.server.cli;

import dev.keygate.core.Ids;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.accounts.Account;
import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.keys.KeyStore;
import dev.keygate.server.dashboard.Argon2Hasher;
import dev.keygate.server.runtime.ConfigOptions;
import dev.keygate.server.runtime.Storage;
import java.io.Console;
import java.io.IOException;
import java.security.SecureRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keygate account create|limit}: accounts, on the store directly (SPEC section 10). */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Create an account or set its rate limit.")
final class AccountCommand {

    private final CliContext context;

    AccountCommand(CliContext context) {
        this.context = context;
    }


    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an account; its password is read from stdin. Prints the account id; the email is "
                    + "verified from the dashboard.")
    int create(@Option(names = "--name", required = true, paramLabel = "N") String name,
            @Option(names = "--email", required = true, paramLabel = "E") String email,
            @Mixin ConfigOptions config) {
        String password = readPassword();
        try (KeyStore store = Storage.openStores(config.config()).keys()) {
            Account account = accounts(store).create(name, email, password);
            context.out().println(account.id());
            // No mail is sent from here: say how to verify, on stderr, so that scripts still read only the id.
            context.err().println("keygate: no verification mail was sent to " + account.email() + "; to create "
                    + "live keys, log in to the dashboard and press \"Mail me a verification link\"");
        }
        return 0;
    }

    @Command(name = "limit", mixinStandardHelpOptions = true,
            description = "Set the account's own rate limit (both environments).")
    int limit(@Option(names = "--account", required = true, paramLabel = "A") String accountId,
            @Option(names = "--per-minute", required = true, paramLabel = "N") int perMinute,
            @Mixin ConfigOptions config) {
        try (KeyStore store = Storage.openStores(config.config()).keys()) {
            accounts(store).setRateLimit(accountId, perMinute);
            context.out().println(accountId + " may make " + perMinute + " requests per 60 seconds per environment");
        }
        return 0;
    }

    private Accounts accounts(KeyStore store) {
        return new Accounts(store, new Argon2Hasher(), context.clock(), new Ids(new SecureRandom()));
    }

    private String readPassword() {
        Console console = System.console();
        if (console != null && context.stdin() == null) {
            char[] typed = console.readPassword("Password: ");
            return typed == null ? "" : new String(typed);
        }
        try {
            String line = context.stdin().readLine();
            if (line == null || line.isEmpty()) {
                throw new InvalidInputException("password", "give the password on stdin, for example: "
                        + "printf '%s\\n' \"$PASSWORD\" | keygate account create --name N --email E");
            }
            return line;
        } catch (IOException e) {
            throw new InvalidInputException("password", "could not read the password from stdin");
        }
    }
}
