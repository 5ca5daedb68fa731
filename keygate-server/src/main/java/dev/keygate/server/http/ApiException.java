package dev.keygate.server.http;

import java.util.Map;
import java.util.Optional;

/**
 * Fails a request with a problem response. Thrown (or passed to {@code ctx.fail}) by handlers;
 * {@link Problems} turns it into the body. Its detail is shown to the client, so it never holds a
 * secret; a key in it is always masked. No stack trace is taken: these are answers, not faults.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Optional<String> param;
    private final transient Map<String, String> headers;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, null, Map.of());
    }

    public ApiException(ErrorCode code, String detail, String param, Map<String, String> headers) {
        super(detail, null, false, false);
        this.code = code;
        this.param = Optional.ofNullable(param);
        this.headers = headers;
    }

    public ErrorCode code() {
        return code;
    }

    /** The offending request field, for {@code invalid_request}. */
    public Optional<String> param() {
        return param;
    }

    /** Extra response headers, such as {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }
}
