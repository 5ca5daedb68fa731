package dev.keygate.server.runtime;

import dev.keygate.core.accounts.Accounts;
import dev.keygate.core.limit.RateLimiter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The server's configuration (SPEC section 10), read once from {@code KEYGATE_*} environment
 * variables, each overridden by a flag of the same name in kebab case ({@code --https-port 9443}
 * for {@code KEYGATE_HTTPS_PORT}; the options are {@link ConfigOptions}), checked, and immutable
 * afterwards.
 *
 * <pre>{@code
 * Config config = Config.load(System.getenv(), List.of("--https-port", "9443"));
 * }</pre>
 *
 * <p>{@link #toString()} never shows a password: the keystore password is left out and
 * credentials in URLs are masked.
 *
 * @param httpsPort 0 picks a free port (printed at start-up)
 * @param httpPort  the plain port that only answers {@code 403 https_required}; empty = none
 * @param nodeCount how many nodes share the rate limits in Redis: while Redis cannot answer, each
 *                  node allows the limit divided by this
 * @param publicUrl where clients reach Keygate, such as {@code https://pay.example.com}: the base of
 *                  the links it sends (email verification, checkout pages); empty =
 *                  {@code https://localhost:<https port>}. Never taken from a request's Host header,
 *                  which a client chooses.
 * @param requestLogDays requests older than this many days are deleted from the request log
 */
public record Config(
        Path dataDir,
        int httpsPort,
        OptionalInt httpPort,
        Optional<String> databaseUrl,
        Optional<String> redisUrl,
        Optional<URI> smtpUrl,
        Optional<Path> tlsKeystore,
        Optional<String> tlsKeystorePassword,
        int rateLimit,
        int nodeCount,
        Optional<URI> publicUrl,
        int requestLogDays) {

    /** A configuration keeping the request log {@value #DEFAULT_REQUEST_LOG_DAYS} days. */
    public Config(Path dataDir, int httpsPort, OptionalInt httpPort, Optional<String> databaseUrl,
            Optional<String> redisUrl, Optional<URI> smtpUrl, Optional<Path> tlsKeystore,
            Optional<String> tlsKeystorePassword, int rateLimit, int nodeCount, Optional<URI> publicUrl) {
        this(dataDir, httpsPort, httpPort, databaseUrl, redisUrl, smtpUrl, tlsKeystore, tlsKeystorePassword, rateLimit,
                nodeCount, publicUrl, DEFAULT_REQUEST_LOG_DAYS);
    }

    /** A configuration for a single node, its links on {@code https://localhost}. */
    public Config(Path dataDir, int httpsPort, OptionalInt httpPort, Optional<String> databaseUrl,
            Optional<String> redisUrl, Optional<URI> smtpUrl, Optional<Path> tlsKeystore,
            Optional<String> tlsKeystorePassword, int rateLimit) {
        this(dataDir, httpsPort, httpPort, databaseUrl, redisUrl, smtpUrl, tlsKeystore, tlsKeystorePassword, rateLimit,
                1);
    }

    /** A configuration with its links on {@code https://localhost}. */
    public Config(Path dataDir, int httpsPort, OptionalInt httpPort, Optional<String> databaseUrl,
            Optional<String> redisUrl, Optional<URI> smtpUrl, Optional<Path> tlsKeystore,
            Optional<String> tlsKeystorePassword, int rateLimit, int nodeCount) {
        this(dataDir, httpsPort, httpPort, databaseUrl, redisUrl, smtpUrl, tlsKeystore, tlsKeystorePassword, rateLimit,
                nodeCount, Optional.empty());
    }

    /** Most nodes {@code KEYGATE_NODE_COUNT} accepts. */
    public static final int MAX_NODE_COUNT = 1_000;

    /** Default data directory, relative to where keygate is started. */
    public static final String DEFAULT_DATA_DIR = "./keygate-data";
    /** Default HTTPS port. */
    public static final int DEFAULT_HTTPS_PORT = 8443;
    /** Default number of days the request log keeps a request. */
    public static final int DEFAULT_REQUEST_LOG_DAYS = 30;
    /** Most days {@code KEYGATE_REQUEST_LOG_DAYS} accepts (ten years). */
    public static final int MAX_REQUEST_LOG_DAYS = 3_650;

    static final List<String> VARIABLES = List.of(
            "KEYGATE_DATA_DIR",
            "KEYGATE_HTTPS_PORT",
            "KEYGATE_HTTP_PORT",
            "KEYGATE_DATABASE_URL",
            "KEYGATE_REDIS_URL",
            "KEYGATE_SMTP_URL",
            "KEYGATE_TLS_KEYSTORE",
            "KEYGATE_TLS_KEYSTORE_PASSWORD",
            "KEYGATE_RATE_LIMIT",
            "KEYGATE_NODE_COUNT",
            "KEYGATE_PUBLIC_URL",
            "KEYGATE_REQUEST_LOG_DAYS");

    /** The defaults of SPEC section 10, with the data directory given. */
    public static Config defaults(Path dataDir) {
        return new Config(dataDir, DEFAULT_HTTPS_PORT, OptionalInt.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), RateLimiter.DEFAULT_LIMIT);
    }

    /**
     * Reads the configuration from {@code environment} and {@code flags} (flags win); see
     * {@link ConfigOptions#load}.
     *
     * @throws ConfigException naming the first bad variable or flag
     */
    public static Config load(Map<String, String> environment, List<String> flags) {
        return ConfigOptions.load(environment, flags);
    }

    /** Checks {@code values} (variable name to value as given) and applies the defaults of the rest. */
    static Config parse(Map<String, String> values) {
        Path dataDir = path(values, "KEYGATE_DATA_DIR").orElse(Path.of(DEFAULT_DATA_DIR));
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new ConfigException("KEYGATE_DATA_DIR", "\"" + dataDir + "\" exists and is not a directory");
        }
        int httpsPort = port(values, "KEYGATE_HTTPS_PORT").orElse(DEFAULT_HTTPS_PORT);
        OptionalInt httpPort = port(values, "KEYGATE_HTTP_PORT");
        if (httpPort.isPresent() && httpPort.getAsInt() != 0 && httpPort.getAsInt() == httpsPort) {
            throw new ConfigException("KEYGATE_HTTP_PORT", "must differ from KEYGATE_HTTPS_PORT");
        }
        Optional<String> databaseUrl = Optional.ofNullable(values.get("KEYGATE_DATABASE_URL"));
        if (databaseUrl.isPresent() && !databaseUrl.get().startsWith("jdbc:postgresql://")) {
            throw new ConfigException("KEYGATE_DATABASE_URL", "must start with jdbc:postgresql://");
        }
        Optional<String> redisUrl = Optional.ofNullable(values.get("KEYGATE_REDIS_URL"));
        redisUrl.ifPresent(url -> url(url, "KEYGATE_REDIS_URL", List.of("redis", "rediss")));
        Optional<URI> smtpUrl = Optional.ofNullable(values.get("KEYGATE_SMTP_URL"))
                .map(url -> url(url, "KEYGATE_SMTP_URL", List.of("smtp", "smtps")));
        Optional<Path> keystore = path(values, "KEYGATE_TLS_KEYSTORE");
        Optional<String> keystorePassword = Optional.ofNullable(values.get("KEYGATE_TLS_KEYSTORE_PASSWORD"));
        if (keystore.isPresent() && !Files.isReadable(keystore.get())) {
            throw new ConfigException("KEYGATE_TLS_KEYSTORE", "no readable file at \"" + keystore.get() + "\"");
        }
        if (keystore.isPresent() != keystorePassword.isPresent()) {
            throw new ConfigException(keystore.isPresent() ? "KEYGATE_TLS_KEYSTORE_PASSWORD" : "KEYGATE_TLS_KEYSTORE",
                    "KEYGATE_TLS_KEYSTORE and KEYGATE_TLS_KEYSTORE_PASSWORD go together");
        }
        int rateLimit = integer(values, "KEYGATE_RATE_LIMIT", 1, Accounts.MAX_RATE_LIMIT)
                .orElse(RateLimiter.DEFAULT_LIMIT);
        int nodeCount = integer(values, "KEYGATE_NODE_COUNT", 1, MAX_NODE_COUNT).orElse(1);
        Optional<URI> publicUrl = Optional.ofNullable(values.get("KEYGATE_PUBLIC_URL"))
                .map(url -> url(url, "KEYGATE_PUBLIC_URL", List.of("https")));
        if (publicUrl.isPresent() && (publicUrl.get().getUserInfo() != null || publicUrl.get().getQuery() != null
                || (publicUrl.get().getPath() != null && !publicUrl.get().getPath().isEmpty()
                        && !publicUrl.get().getPath().equals("/")))) {
            throw new ConfigException("KEYGATE_PUBLIC_URL", "must be just https://host or https://host:port");
        }
        int requestLogDays = integer(values, "KEYGATE_REQUEST_LOG_DAYS", 1, MAX_REQUEST_LOG_DAYS)
                .orElse(DEFAULT_REQUEST_LOG_DAYS);
        return new Config(dataDir, httpsPort, httpPort, databaseUrl, redisUrl, smtpUrl, keystore, keystorePassword,
                rateLimit, nodeCount, publicUrl, requestLogDays);
    }

    private static Optional<Path> path(Map<String, String> values, String variable) {
        String value = values.get(variable);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(value));
        } catch (InvalidPathException e) {
            throw new ConfigException(variable, "not a valid path");
        }
    }

    private static OptionalInt port(Map<String, String> values, String variable) {
        return integer(values, variable, 0, 65_535);
    }

    private static OptionalInt integer(Map<String, String> values, String variable, int min, int max) {
        String value = values.get(variable);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return OptionalInt.of(number);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(variable, "must be a whole number from " + min + " to " + max + ", got \""
                + printable(value) + "\"");
    }

    private static URI url(String value, String variable, List<String> schemes) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(variable, "must be a URL such as " + schemes.get(0) + "://host:port");
            }
            return uri;
        } catch (URISyntaxException e) {
            // The value may hold a password: never echo it.
            throw new ConfigException(variable, "is not a valid URL");
        }
    }

    private static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Credentials in URLs masked; the keystore password left out. */
    @Override
    public String toString() {
        return "Config[dataDir=" + dataDir + ", httpsPort=" + httpsPort + ", httpPort=" + httpPort
                + ", databaseUrl=" + databaseUrl.map(Config::maskCredentials) + ", redisUrl="
                + redisUrl.map(Config::maskCredentials) + ", smtpUrl=" + smtpUrl.map(u -> maskCredentials(u.toString()))
                + ", tlsKeystore=" + tlsKeystore + ", tlsKeystorePassword=" + (tlsKeystorePassword.isPresent()
                        ? "[PROTECTED]" : "none") + ", rateLimit=" + rateLimit + ", nodeCount=" + nodeCount + ", publicUrl=" + publicUrl
                + ", requestLogDays=" + requestLogDays + "]";
    }

    /** {@code smtp://user:secret@host} → {@code smtp://***@host}; query parameters dropped. */
    static String maskCredentials(String url) {
        String noQuery = url.contains("?") ? url.substring(0, url.indexOf('?')) + "?***" : url;
        int at = noQuery.lastIndexOf('@');
        int scheme = noQuery.indexOf("://");
        if (at > 0 && scheme > 0 && at > scheme) {
            return noQuery.substring(0, scheme + 3) + "***" + noQuery.substring(at);
        }
        return noQuery;
    }
}
