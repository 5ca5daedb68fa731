package dev.keygate.client;

/**
 * The API key was refused ({@code 401}, SPEC section 3): missing ({@code missing_api_key}), not a key
 * ({@code malformed_api_key}), unknown or deleted ({@code invalid_api_key}), or past its
 * {@code expires_at} after a rotation ({@code api_key_expired}). Retrying does not help; a new key does.
 */
public class AuthenticationException extends KeygateException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String detail, int statusCode, String code, String requestId, String param,
            Throwable cause) {
        super(detail, statusCode, code, requestId, param, cause);
    }
}
