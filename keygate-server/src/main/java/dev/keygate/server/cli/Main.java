package dev.keygate.server.cli;

import dev.keygate.core.ConflictException;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.StoreUnavailableException;
import dev.keygate.server.runtime.ConfigException;
import dev.keygate.server.runtime.EnvironmentDefaults;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code keygate} program (SPEC section 10): {@code serve} (the default) and the admin
 * commands, which work on the store directly, also while a server runs. Every command that opens
 * the store takes the options of {@code ConfigOptions}, each defaulting to its {@code KEYGATE_*}
 * variable.
 *
 * <pre>{@code
 * keygate serve --https-port 9443
 * keygate key list --account acct_…
 * }</pre>
 *
 * <p>Exit status: 0 done, 1 refused (no such account, a conflict, the store unreachable), 2 a bad
 * command line or configuration value, reported in one line without a stack trace.
 */
@Command(name = "keygate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Keygate, API-key authentication server.",
        subcommands = {Serve.class, AccountCommand.class, KeyCommand.class, HelpCommand.class},
        footer = {"", "With no command, or with options only, keygate serves. Every option of serve can be "
                + "given as its KEYGATE_* variable instead: --data-dir as KEYGATE_DATA_DIR, and so on; "
                + "a flag wins over its variable."})
public final class Main {

    /** Exit status of a refused command. */
    static final int REFUSED = 1;
    /** Exit status of a bad command line or configuration value. */
    static final int USAGE = 2;

    private final CliContext context;

    Main(CliContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        Main main = new Main(new CliContext(System.getenv(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out, System.err, Clock.systemUTC()));
        System.exit(main.run(List.of(args)));
    }

    /** Runs one command; returns the exit status. */
    int run(List<String> args) {
        CommandLine line = new CommandLine(Main.class, new Factory(context));
        line.setDefaultValueProvider(new EnvironmentDefaults(context.environment()));
        line.setOut(new PrintWriter(context.out(), true));
        line.setErr(new PrintWriter(context.err(), true));
        line.setParameterExceptionHandler(this::refuseCommandLine);
        line.setExecutionExceptionHandler((failure, command, parsed) -> refuse(failure));
        return line.execute(withDefaultCommand(args).toArray(String[]::new));
    }

    /** {@code keygate} and {@code keygate --https-port 9443} mean {@code keygate serve …}. */
    private static List<String> withDefaultCommand(List<String> args) {
        if (!args.isEmpty() && (!args.get(0).startsWith("-")
                || List.of("-h", "--help", "-V", "--version").contains(args.get(0)))) {
            return args;
        }
        List<String> serve = new ArrayList<>(List.of("serve"));
        serve.addAll(args);
        return serve;
    }

    private int refuseCommandLine(ParameterException e, String[] args) {
        context.err().println("keygate: " + problem(e));
        context.err().println("See 'keygate " + subcommandPath(e.getCommandLine()) + "--help'.");
        return USAGE;
    }

    /** What is wrong with the command line, never repeating a value given (it may be a password). */
    private static String problem(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return e.getMessage();
        }
        String argument = unmatched.getUnmatched().get(0);
        CommandSpec command = e.getCommandLine().getCommandSpec();
        if (!argument.startsWith("-") && !command.subcommands().isEmpty()) {
            return "unknown command \"" + argument + "\"; the commands are "
                    + String.join(", ", command.subcommands().keySet());
        }
        if (!argument.startsWith("-")) {
            return "unexpected argument \"" + argument + "\"";
        }
        String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
        List<String> suggestions = unmatched.getSuggestions();
        return "unknown option " + name + (suggestions.isEmpty() ? "" : " (did you mean " + suggestions.get(0) + "?)");
    }

    private static String subcommandPath(CommandLine command) {
        String path = command.getCommandSpec().qualifiedName(" ");
        return path.equals("keygate") ? "" : path.substring("keygate ".length()) + " ";
    }

    private int refuse(Exception failure) throws Exception {
        if (failure instanceof ConfigException) {
            context.err().println("keygate: " + failure.getMessage());
            return USAGE;
        }
        if (failure instanceof InvalidInputException || failure instanceof ConflictException
                || failure instanceof StoreUnavailableException) {
            context.err().println("keygate: " + failure.getMessage());
            return REFUSED;
        }
        throw failure;
    }

    /** Makes each command with what it needs. */
    private record Factory(CliContext context) implements IFactory {

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(CliContext.class).newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    /** The version of the jar, from its manifest. */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"keygate " + (version == null ? "(development build)" : version),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
