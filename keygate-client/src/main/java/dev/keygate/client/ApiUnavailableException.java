package dev.keygate.client;

/**
 * Keygate could not be reached or could not answer: {@code 503 service_unavailable} (its key store or
 * rate limiter is down; SPEC section 3 keeps this apart from a bad key), a connection that failed or
 * timed out ({@link #statusCode()} 0), or a TLS handshake that failed. The SDK already retried with
 * backoff where that is safe before throwing this.
 */
public class ApiUnavailableException extends KeygateException {

    private static final long serialVersionUID = 1L;

    public ApiUnavailableException(String detail, int statusCode, String code, String requestId, String param,
            Throwable cause) {
        super(detail, statusCode, code, requestId, param, cause);
    }
}
