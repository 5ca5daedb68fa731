package dev.keygate.client;

/**
 * Keygate failed on its side ({@code 5xx} other than {@code 503}), or answered something the SDK
 * could not read. The SDK already retried where that is safe before throwing this.
 */
public class ApiException extends KeygateException {

    private static final long serialVersionUID = 1L;

    public ApiException(String detail, int statusCode, String code, String requestId, String param,
            Throwable cause) {
        super(detail, statusCode, code, requestId, param, cause);
    }
}
