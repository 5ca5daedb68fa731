package dev.keygate.server.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The settings of SPEC section 10 as command-line options, mixed into every command that serves
 * or opens the store. Each option {@code --https-port} defaults to its variable
 * {@code KEYGATE_HTTPS_PORT} ({@link EnvironmentDefaults}); a flag given wins. The values are
 * kept as given and checked together by {@link #config()}, so a bad one is reported the same way
 * whichever of the two it came from.
 *
 * <pre>{@code
 * Config config = ConfigOptions.load(System.getenv(), List.of("--https-port", "9443"));
 * }</pre>
 */
public final class ConfigOptions {

    private static final String PREFIX = "KEYGATE_";

    /** This mixin's own options (not those of the command it is mixed into). */
    @Spec
    private CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "KEYGATE_DATA_DIR: embedded database, "
            + "generated certificate, mail outbox (default " + Config.DEFAULT_DATA_DIR + ")")
    private String dataDir;

    @Option(names = "--https-port", paramLabel = "PORT", description = "KEYGATE_HTTPS_PORT (default "
            + Config.DEFAULT_HTTPS_PORT + "; 0 picks a free port)")
    private String httpsPort;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "KEYGATE_HTTP_PORT: a plain port that only answers 403 (default none)")
    private String httpPort;

    @Option(names = "--database-url", paramLabel = "URL", description = "KEYGATE_DATABASE_URL: "
            + "jdbc:postgresql://… for several nodes (default embedded SQLite in the data dir)")
    private String databaseUrl;

    @Option(names = "--redis-url", paramLabel = "URL", description = "KEYGATE_REDIS_URL: redis://…, shared "
            + "rate limits and revocation broadcast (default in-process rate limiter)")
    private String redisUrl;

    @Option(names = "--smtp-url", paramLabel = "URL", description = "KEYGATE_SMTP_URL: smtp://user:pass@host:port "
            + "(default mails written to <data dir>/outbox/*.eml)")
    private String smtpUrl;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "KEYGATE_TLS_KEYSTORE: PKCS#12 keystore (default generated)")
    private String tlsKeystore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD",
            description = "KEYGATE_TLS_KEYSTORE_PASSWORD: its password")
    private String tlsKeystorePassword;

    @Option(names = "--rate-limit", paramLabel = "N", description = "KEYGATE_RATE_LIMIT: default requests per "
            + "60 s per account and environment (default 120)")
    private String rateLimit;

    @Option(names = "--node-count", paramLabel = "N", description = "KEYGATE_NODE_COUNT: nodes sharing the "
            + "rate limits; while Redis is out each allows its share (default 1)")
    private String nodeCount;

    @Option(names = "--public-url", paramLabel = "URL", description = "KEYGATE_PUBLIC_URL: base of links in mails "
            + "and of checkout_url (default https://localhost:<https port>)")
    private String publicUrl;

    @Option(names = "--request-log-days", paramLabel = "DAYS", description = "KEYGATE_REQUEST_LOG_DAYS: "
            + "request-log rows older than this are deleted daily (default " + Config.DEFAULT_REQUEST_LOG_DAYS + ")")
    private String requestLogDays;

    /**
     * Reads the configuration from {@code environment} and {@code flags} (flags win), outside a command.
     *
     * @param flags {@code --name value} or {@code --name=value} pairs; anything else is refused
     * @throws ConfigException naming the first bad variable or flag
     */
    public static Config load(Map<String, String> environment, List<String> flags) {
        ConfigOptions options = new ConfigOptions();
        CommandLine line = new CommandLine(options);
        line.setDefaultValueProvider(new EnvironmentDefaults(environment));
        try {
            line.parseArgs(flags.toArray(String[]::new));
        } catch (ParameterException e) {
            throw refusal(e);
        }
        return options.config();
    }

    /**
     * The values given, checked.
     *
     * @throws ConfigException naming the first bad variable
     */
    public Config config() {
        Map<String, String> values = new HashMap<>();
        for (OptionSpec option : spec.options()) {
            String value = option.getValue();
            variableOf(option.longestName()).ifPresent(variable -> {
                if (value != null) {
                    values.put(variable, value.strip());
                }
            });
        }
        return Config.parse(values);
    }

    /** {@code --https-port} → {@code KEYGATE_HTTPS_PORT}, if that is one of these options. */
    static Optional<String> variableOf(String flag) {
        if (!flag.startsWith("--")) {
            return Optional.empty();
        }
        String variable = PREFIX + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
        return Config.VARIABLES.contains(variable) ? Optional.of(variable) : Optional.empty();
    }

    /** {@code KEYGATE_HTTPS_PORT} → {@code --https-port}. */
    static String flagOf(String variable) {
        return "--" + variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * A refused command line as one line naming the flag, never the value given (it may hold a password).
     */
    private static ConfigException refusal(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String argument = unmatched.getUnmatched().get(0);
            String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            return new ConfigException(name, "unknown option; the options are "
                    + String.join(", ", Config.VARIABLES.stream().map(ConfigOptions::flagOf).toList()));
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof OptionSpec option) {
            return new ConfigException(option.longestName(), "needs a value");
        }
        if (e.getArgSpec() instanceof OptionSpec option) {
            return new ConfigException(option.longestName(), "refused");
        }
        return new ConfigException("keygate", "invalid command line");
    }
}
