package dev.keygate.server.http;

import java.util.Optional;

/**
 * Every error the API answers with (SPEC section 3): its {@code code}, HTTP status, title and, for
 * credential errors, the {@code WWW-Authenticate} challenge of RFC 6750 section 3.
 */
public enum ErrorCode {
    MISSING_API_KEY(401, "Missing API key", "Bearer realm=\"keygate\""),
    MALFORMED_API_KEY(401, "Malformed API key", ErrorCode.INVALID_TOKEN),
    INVALID_API_KEY(401, "Invalid API key", ErrorCode.INVALID_TOKEN),
    API_KEY_EXPIRED(401, "API key expired", ErrorCode.INVALID_TOKEN),
    INSUFFICIENT_PERMISSIONS(403, "Insufficient permissions", "Bearer realm=\"keygate\", error=\"insufficient_scope\""),
    SECRET_KEY_IN_BROWSER(403, "Secret key used in a browser", null),
    HTTPS_REQUIRED(403, "HTTPS required", null),
    API_KEY_IN_URL(400, "API key in URL", null),
    INVALID_REQUEST(400, "Invalid request", null),
    RESOURCE_MISSING(404, "Resource missing", null),
    METHOD_NOT_ALLOWED(405, "Method not allowed", null),
    IDEMPOTENCY_KEY_REUSED(409, "Idempotency key reused", null),
    RESOURCE_CONFLICT(409, "Conflict", null),
    REQUEST_TOO_LARGE(413, "Request too large", null),
    URI_TOO_LONG(414, "Request line too long", null),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", null),
    RATE_LIMIT_EXCEEDED(429, "Rate limit exceeded", null),
    HEADERS_TOO_LARGE(431, "Request headers too large", null),
    INTERNAL_ERROR(500, "Internal error", null),
    SERVICE_UNAVAILABLE(503, "Service unavailable", null);

    private static final String INVALID_TOKEN = "Bearer realm=\"keygate\", error=\"invalid_token\"";

    /** Where each code is documented: {@code https://keygate.dev/errors/<code>}. */
    public static final String TYPE_BASE = "https://keygate.dev/errors/";

    private final int status;
    private final String title;
    private final String challenge;

    ErrorCode(int status, String title, String challenge) {
        this.status = status;
        this.title = title;
        this.challenge = challenge;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The machine-readable code, such as {@code invalid_api_key}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The problem {@code type} URI. */
    public String type() {
        return TYPE_BASE + code();
    }

    /** The {@code WWW-Authenticate} value sent with this error, if any. */
    public Optional<String> challenge() {
        return Optional.ofNullable(challenge);
    }
}
