package dev.keygate.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import dev.keygate.keyformat.ApiKey;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends API requests: the bearer key (SPEC section 3), an {@code Idempotency-Key} on every POST (SPEC
 * section 5), and retries as {@link RetryPolicy} decides. Every request it sends is safe to repeat —
 * GETs read, and POSTs carry the same idempotency key on every attempt — so connection failures and
 * {@code 5xx} are retried for all of them. Failures become the {@link KeygateException} hierarchy.
 */
final class Transport {

    static final System.Logger LOG = System.getLogger("dev.keygate.client");
    static final String REQUEST_ID = "Request-Id";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final HttpClient http;
    private final String baseUrl;
    private final ApiKey apiKey;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final String userAgent;

    Transport(HttpClient http, URI baseUrl, ApiKey apiKey, Duration requestTimeout, RetryPolicy retry,
            Sleeper sleeper, String userAgent) {
        this.http = http;
        String base = baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
        this.retry = retry;
        this.sleeper = sleeper;
        this.userAgent = userAgent;
    }

    <T> T get(String path, Map<String, String> query, RequestOptions options, JavaType type) {
        StringJoiner pairs = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
        HttpRequest request = base(path + pairs, options).GET().build();
        return execute(request, "GET " + path, type);
    }

    <T> T post(String path, Map<String, Object> body, RequestOptions options, JavaType type) {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request body cannot be written as JSON", e);
        }
        HttpRequest request = base(path, options)
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_KEY, options.idempotencyKey().orElseGet(() -> UUID.randomUUID().toString()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        return execute(request, "POST " + path, type);
    }

    /** {@code id} as one path segment: anything but letters, digits, {@code _} and {@code -} is escaped. */
    static String segment(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("an object id is required");
        }
        StringBuilder out = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private HttpRequest.Builder base(String pathAndQuery, RequestOptions options) {
        ApiKey key = options.apiKey().orElse(apiKey);
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + key.reveal())
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
    }

    /** Sends {@code request}, retrying as the policy allows; {@code what} names it in messages and logs. */
    private <T> T execute(HttpRequest request, String what, JavaType type) {
        for (int retries = 0; ; retries++) {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                KeygateException failure = connectionFailure(what, e);
                if (untrustedCertificate(e) || retries >= retry.maxRetries()) {
                    throw failure;
                }
                pause(retry.backoff(retries + 1, ThreadLocalRandom.current()), retries + 1, what, failure);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiUnavailableException("Interrupted while waiting for the answer to " + what + ".", 0,
                        null, null, null, e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return read(response, what, type);
            }
            KeygateException error = Errors.from(response, what);
            if (retries < retry.maxRetries()) {
                Optional<Duration> delay = retry.delay(status, Errors.retryAfter(response), retries + 1,
                        ThreadLocalRandom.current());
                if (delay.isPresent()) {
                    pause(delay.get(), retries + 1, what, error);
                    continue;
                }
            }
            throw error;
        }
    }

    /** Waits before retry number {@code retry}; if interrupted, gives up with the last failure. */
    private void pause(Duration delay, int retry, String what, KeygateException last) {
        LOG.log(Level.DEBUG, () -> "Retrying " + what + " (retry " + retry + " of " + this.retry.maxRetries()
                + ") in " + delay.toMillis() + " ms after: " + last.getMessage());
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw last;
        }
    }

    private static <T> T read(HttpResponse<byte[]> response, String what, JavaType type) {
        String requestId = response.headers().firstValue(REQUEST_ID).orElse(null);
        try {
            T value = Json.MAPPER.readValue(response.body(), type);
            if (value == null) {
                throw new ApiException("The answer to " + what + " has no body.", response.statusCode(), null,
                        requestId, null, null);
            }
            return value;
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.toString();
            throw new ApiException("The answer to " + what + " could not be read as " + type.getRawClass()
                    .getSimpleName() + ": " + reason, response.statusCode(), null, requestId, null, e);
        }
    }

    private KeygateException connectionFailure(String what, IOException e) {
        if (untrustedCertificate(e)) {
            return new ApiUnavailableException("The TLS handshake with " + baseUrl + " failed for " + what + " ("
                    + e.getMessage() + "). If the server's certificate is self-signed, as the one Keygate "
                    + "generates on first start is, trust it with KeygateClient.builder(key).trustedCertificates"
                    + "(pemFile) or .trustStore(keyStore).", 0, null, null, null, e);
        }
        String reason = e instanceof HttpTimeoutException ? "timed out" : "failed";
        return new ApiUnavailableException("The connection to " + baseUrl + " " + reason + " for " + what + " ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ").",
                0, null, null, null, e);
    }

    /** A certificate the client does not trust: retrying cannot help. */
    private static boolean untrustedCertificate(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
