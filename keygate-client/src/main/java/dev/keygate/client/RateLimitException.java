package dev.keygate.client;

import java.time.Duration;

/**
 * Too many requests for the account and environment ({@code 429 rate_limit_exceeded}, SPEC section
 * 4). The SDK waits out a {@code Retry-After} up to {@link KeygateClient.Builder#maxRetryAfter} by
 * itself; this is thrown when the wait would be longer or the retries are used up.
 */
public class RateLimitException extends KeygateException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /** @param retryAfter the response's {@code Retry-After}, or null when it had none */
    public RateLimitException(String detail, int statusCode, String code, String requestId, String param,
            Duration retryAfter, Throwable cause) {
        super(detail, statusCode, code, requestId, param, cause);
        this.retryAfter = retryAfter;
    }

    /** How long until a request would be accepted ({@code Retry-After}), or null when the server did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
