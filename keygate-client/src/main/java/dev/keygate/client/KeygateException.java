package dev.keygate.client;

/**
 * Any failure of a Keygate API call: the root of the SDK's exception hierarchy. Catch a subtype to
 * handle one class of error, or this type for all of them.
 *
 * <pre>{@code
 * try {
 *     client.payments().create(params);
 * } catch (RateLimitException e) {
 *     retryLater(e.retryAfter());
 * } catch (KeygateException e) {
 *     log.warn("Keygate refused: {} (request {})", e.code(), e.requestId());
 * }
 * }</pre>
 *
 * <p>The message is the server's {@code detail} followed by status, code, param and request id. No
 * message, {@code toString()} or log line of the SDK ever contains an API key: the server masks keys
 * in its messages (SPEC section 3) and the SDK masks anything that still looks like one.
 */
public class KeygateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String code;
    private final String requestId;
    private final String param;

    /**
     * @param detail     what went wrong, for people
     * @param statusCode the HTTP status, or 0 when no response was received
     * @param code       the problem's machine-readable {@code code}, or null
     * @param requestId  the response's {@code Request-Id}, or null
     * @param param      the offending request field, or null
     * @param cause      the underlying failure, or null
     */
    public KeygateException(String detail, int statusCode, String code, String requestId, String param,
            Throwable cause) {
        super(message(detail, statusCode, code, param, requestId), cause);
        this.statusCode = statusCode;
        this.code = code;
        this.requestId = requestId;
        this.param = param;
    }

    /** The HTTP status of the response, or 0 when no response was received (connection failure). */
    public int statusCode() {
        return statusCode;
    }

    /** The machine-readable error code, such as {@code invalid_api_key} (SPEC section 3), or null. */
    public String code() {
        return code;
    }

    /** The {@code Request-Id} of the response, to quote to support, or null when there was none. */
    public String requestId() {
        return requestId;
    }

    /** The request field the error is about, such as {@code amount}, or null. */
    public String param() {
        return param;
    }

    private static String message(String detail, int statusCode, String code, String param, String requestId) {
        StringBuilder message = new StringBuilder(Redaction.redact(detail == null ? "Keygate API error" : detail));
        StringBuilder facts = new StringBuilder();
        if (statusCode > 0) {
            facts.append("status ").append(statusCode);
        }
        append(facts, "code", code);
        append(facts, "param", param);
        append(facts, "request_id", requestId);
        if (facts.length() > 0) {
            message.append(" [").append(facts).append(']');
        }
        return message.toString();
    }

    private static void append(StringBuilder facts, String name, String value) {
        if (value != null) {
            if (facts.length() > 0) {
                facts.append(", ");
            }
            facts.append(name).append(' ').append(Redaction.redact(value));
        }
    }
}
