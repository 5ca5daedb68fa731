package dev.keygate.client;

import com.fasterxml.jackson.databind.JavaType;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The Keygate API from Java: one client per key, thread-safe, meant to be created once and shared.
 *
 * <pre>{@code
 * KeygateClient client = new KeygateClient(System.getenv("KEYGATE_SECRET_KEY"));
 * Payment payment = client.payments().create(PaymentCreateParams.builder().amount(2000).currency("usd").build());
 * }</pre>
 *
 * <p>The key is checked when the client is made, with the same code the server uses (SPEC section 2),
 * so a mistyped key fails at once with a {@link dev.keygate.keyformat.MalformedApiKeyException} that
 * says what is wrong without showing the key. The key's environment ({@link #environment()}) decides
 * which objects every call sees.
 *
 * <p>Defaults, each changeable with the {@link #builder(String) builder}: the server at
 * {@value #DEFAULT_BASE_URL} ({@code keygate serve}'s default), TLS verified against the JVM's
 * trusted CAs (TLS verification cannot be switched off; trust a self-signed server with
 * {@link Builder#trustedCertificates(Path)}), {@link #DEFAULT_CONNECT_TIMEOUT} to connect,
 * {@link #DEFAULT_REQUEST_TIMEOUT} per attempt, {@value #DEFAULT_MAX_RETRIES} retries.
 *
 * <p>Retries: connection failures and {@code 500}, {@code 502}, {@code 503}, {@code 504} are retried
 * after a capped exponential backoff with jitter; a {@code 429} after its {@code Retry-After}, if that
 * is at most {@link #DEFAULT_MAX_RETRY_AFTER}. Every request is safe to retry: GETs only read, and
 * every POST carries an {@code Idempotency-Key} — generated, or given in {@link RequestOptions} — that
 * stays the same on each retry, so the server creates one payment however often the call is sent.
 */
public final class KeygateClient implements AutoCloseable {

    /** Where {@code keygate serve} listens by default (SPEC section 10). */
    public static final String DEFAULT_BASE_URL = "https://localhost:8443";
    /** Time allowed to open a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Time allowed for one attempt of a request, from sending it to the end of the answer. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Retries after the first attempt. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** Most retries that can be configured. */
    public static final int MAX_RETRIES_LIMIT = 10;
    /** The longest {@code Retry-After} the client waits out by itself; a longer one is thrown as {@link RateLimitException}. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);
    /** Backoff before the first retry, before jitter; it doubles with each retry. */
    public static final Duration INITIAL_RETRY_DELAY = Duration.ofMillis(500);
    /** Backoff never grows past this. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);
    /** This SDK's version, as sent in {@code User-Agent}. */
    public static final String VERSION = Connections.sdkVersion();

    private static final JavaType PING = Json.type(Ping.class);

    private final ApiKey apiKey;
    private final URI baseUrl;
    private final HttpClient http;
    private final PaymentService payments;
    private final CustomerService customers;
    private final BalanceService balance;
    private final Transport transport;

    /**
     * A client with the defaults, for the server at {@value #DEFAULT_BASE_URL}.
     *
     * @param apiKey a secret key ({@code sk_test_…}, {@code sk_live_…}) for servers, or a publishable one
     *     ({@code pk_…}), which may only create payments and ping
     * @throws dev.keygate.keyformat.MalformedApiKeyException if it is not a key; the message never contains it
     */
    public KeygateClient(String apiKey) {
        this(builder(apiKey));
    }

    private KeygateClient(Builder builder) {
        this.apiKey = builder.apiKey;
        this.baseUrl = builder.baseUrl;
        this.http = builder.httpClient();
        this.transport = new Transport(http, baseUrl, apiKey, builder.requestTimeout,
                new RetryPolicy(builder.maxRetries, INITIAL_RETRY_DELAY, MAX_RETRY_DELAY, builder.maxRetryAfter),
                builder.sleeper,
                "keygate-java/" + VERSION + " Java/" + Runtime.version().feature());
        this.payments = new PaymentService(transport);
        this.customers = new CustomerService(transport);
        this.balance = new BalanceService(transport);
    }

    /**
     * A builder for a client with other settings than the defaults.
     *
     * <pre>{@code
     * KeygateClient client = KeygateClient.builder(secretKey)
     *         .baseUrl("https://keygate.internal:8443")
     *         .trustedCertificates(Path.of("keygate-cert.pem"))
     *         .build();
     * }</pre>
     *
     * @throws dev.keygate.keyformat.MalformedApiKeyException if {@code apiKey} is not a key
     */
    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    /** The environment of the client's key: every object it sees belongs to it. */
    public Environment environment() {
        return apiKey.environment();
    }

    /** The type of the client's key. */
    public KeyType keyType() {
        return apiKey.type();
    }

    /** The server's base URL, such as {@value #DEFAULT_BASE_URL}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** {@code GET /api/v1/ping}: which account, environment and key the server sees. Any key may call it. */
    public Ping ping() {
        return ping(RequestOptions.defaults());
    }

    public Ping ping(RequestOptions options) {
        return transport.get("/api/v1/ping", Map.of(), Objects.requireNonNull(options, "options"), PING);
    }

    /** Payments and refunds. */
    public PaymentService payments() {
        return payments;
    }

    /** Customer records. */
    public CustomerService customers() {
        return customers;
    }

    /** The balance. */
    public BalanceService balance() {
        return balance;
    }

    /** Releases the HTTP client's connections and threads (on Java 21 and later; earlier ones free them when unused). */
    @Override
    public void close() {
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                Transport.LOG.log(System.Logger.Level.DEBUG, () -> "closing the HTTP client failed: " + e);
            }
        }
    }

    /** Base URL, environment and the key masked; never the whole key. */
    @Override
    public String toString() {
        return "KeygateClient[baseUrl=" + baseUrl + ", key=" + apiKey.masked() + "]";
    }

    /**
     * Settings of a {@link KeygateClient}; {@link #build()} checks them against each other. Defaults are
     * the constants of {@link KeygateClient}. There is no setting that turns TLS verification off.
     */
    public static final class Builder {
        private final ApiKey apiKey;
        private URI baseUrl = URI.create(DEFAULT_BASE_URL);
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private KeyStore trustStore;
        private Path trustedCertificates;
        private Sleeper sleeper = Sleeper.system();

        private Builder(String apiKey) {
            this.apiKey = ApiKey.parse(Objects.requireNonNull(apiKey, "an API key is required"));
        }

        /**
         * The server, {@code https://host[:port][/path]}; default {@value KeygateClient#DEFAULT_BASE_URL}.
         * Only HTTPS: the key must never travel in clear text (SPEC section 9).
         *
         * @throws IllegalArgumentException for a URL that is not {@code https} with a host, or has a query, fragment or user info
         */
        public Builder baseUrl(String baseUrl) {
            URI uri = Connections.baseUrl(baseUrl);
            this.baseUrl = uri;
            return this;
        }

        /** Time allowed to open a connection; default {@link KeygateClient#DEFAULT_CONNECT_TIMEOUT}. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Time allowed for each attempt of a request; default {@link KeygateClient#DEFAULT_REQUEST_TIMEOUT}. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Retries after the first attempt, 0 to {@value KeygateClient#MAX_RETRIES_LIMIT}; default {@value KeygateClient#DEFAULT_MAX_RETRIES}. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
                throw new IllegalArgumentException("maxRetries must be from 0 to " + MAX_RETRIES_LIMIT);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * The longest {@code Retry-After} of a {@code 429} (or {@code 5xx}) the client waits out by itself
         * before retrying; a longer one is thrown at once. Default {@link KeygateClient#DEFAULT_MAX_RETRY_AFTER};
         * zero never waits for one.
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            if (maxRetryAfter.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfter must not be negative");
            }
            this.maxRetryAfter = maxRetryAfter;
            return this;
        }

        /**
         * Trust exactly the certificates in {@code trustStore} (certificate entries, and the certificates
         * of key entries, so Keygate's own {@code keygate.p12} works), instead of the JVM's CAs. Host
         * names are still verified.
         */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /**
         * Trust exactly the X.509 certificates in this PEM file, instead of the JVM's CAs; for the
         * certificate Keygate generates on first start, exported as the README shows. Host names are
         * still verified.
         */
        public Builder trustedCertificates(Path pemFile) {
            this.trustedCertificates = Objects.requireNonNull(pemFile, "pemFile");
            return this;
        }

        /** How the client waits between retries; default {@link Sleeper#system()}. Tests pass one that moves a fake clock. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * @throws IllegalStateException    if both a trust store and a PEM file are given
         * @throws IllegalArgumentException if the trust store or PEM file holds no usable certificate
         */
        public KeygateClient build() {
            if (trustStore != null && trustedCertificates != null) {
                throw new IllegalStateException("give either trustStore or trustedCertificates, not both");
            }
            return new KeygateClient(this);
        }

        private HttpClient httpClient() {
            return Connections.httpClient(connectTimeout, trustStore, trustedCertificates);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }

        /** Never shows the whole key. */
        @Override
        public String toString() {
            return "KeygateClient.Builder[baseUrl=" + baseUrl + ", key=" + apiKey.masked() + "]";
        }
    }
}
