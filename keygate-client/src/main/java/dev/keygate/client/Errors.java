package dev.keygate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The one place where error responses become exceptions: the problem document (RFC 9457, SPEC
 * section 3) gives code, detail, param and request id; the status picks the subtype.
 */
final class Errors {

    private Errors() {}

    static KeygateException from(HttpResponse<byte[]> response, String what) {
        int status = response.statusCode();
        JsonNode problem = problem(response);
        String code = text(problem, "code");
        String param = text(problem, "param");
        String requestId = response.headers().firstValue(Transport.REQUEST_ID).orElse(text(problem, "request_id"));
        String detail = text(problem, "detail");
        if (detail == null) {
            detail = text(problem, "title");
        }
        if (detail == null) {
            detail = "Keygate answered " + what + " with HTTP " + status + " and no problem document.";
        }
        if (status == 401) {
            return new AuthenticationException(detail, status, code, requestId, param, null);
        } else if (status == 403) {
            return new PermissionException(detail, status, code, requestId, param, null);
        } else if (status == 429) {
            return new RateLimitException(detail, status, code, requestId, param,
                    retryAfter(response).orElse(null), null);
        } else if (status == 503) {
            return new ApiUnavailableException(detail, status, code, requestId, param, null);
        } else if (status >= 400 && status < 500) {
            return new InvalidRequestException(detail, status, code, requestId, param, null);
        }
        return new ApiException(detail, status, code, requestId, param, null);
    }

    /** {@code Retry-After} in delta-seconds, the form Keygate sends (SPEC section 4). */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::strip)
                .filter(value -> value.matches("[0-9]{1,9}"))
                .map(value -> Duration.ofSeconds(Long.parseLong(value)));
    }

    private static JsonNode problem(HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("json") || response.body() == null || response.body().length == 0) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(response.body());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }
}
