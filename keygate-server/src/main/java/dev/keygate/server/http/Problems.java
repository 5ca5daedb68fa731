package dev.keygate.server.http;

import dev.keygate.core.ConflictException;
import dev.keygate.core.InvalidInputException;
import dev.keygate.core.NotFoundException;
import dev.keygate.core.StoreUnavailableException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become RFC 9457 {@code application/problem+json} responses
 * (SPEC section 3). A refused credential is a 4xx; a store or limiter that cannot answer is
 * {@code 503}, never {@code 401}; anything unexpected is a {@code 500} whose details go only to
 * the log, under the request id.
 */
public final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private Problems() {}

    /** The failure handler of every router. */
    public static void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException api) {
            send(ctx, api);
        } else if (failure instanceof InvalidInputException invalid) {
            send(ctx, new ApiException(ErrorCode.INVALID_REQUEST, capitalize(invalid.getMessage()) + ".",
                    invalid.param(), java.util.Map.of()));
        } else if (failure instanceof ConflictException conflict) {
            send(ctx, new ApiException(ErrorCode.RESOURCE_CONFLICT, capitalize(conflict.getMessage()) + "."));
        } else if (failure instanceof NotFoundException missing) {
            send(ctx, new ApiException(ErrorCode.RESOURCE_MISSING, missing.getMessage() + "."));
        } else if (failure instanceof StoreUnavailableException) {
            LOG.warn("request {} failed: {}", RequestIds.of(ctx), failure.toString());
            send(ctx, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Keygate cannot reach its key store or rate limiter right now. Retry with backoff.", null,
                    java.util.Map.of("Retry-After", "1")));
        } else if (failure == null) {
            send(ctx, forStatus(ctx.statusCode()));
        } else {
            LOG.error("request {} failed", RequestIds.of(ctx), failure);
            send(ctx, new ApiException(ErrorCode.INTERNAL_ERROR,
                    "Something went wrong on our side. Quote the request id if you contact support."));
        }
    }

    /** The problem for a status Vert.x set itself (no route, body too large, …). */
    static ApiException forStatus(int status) {
        return switch (status) {
            case 404 -> new ApiException(ErrorCode.RESOURCE_MISSING, "Unrecognized request URL.");
            case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "This URL does not accept that method.");
            case 413 -> new ApiException(ErrorCode.REQUEST_TOO_LARGE, "The request body is over 64 KiB.");
            case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
            case 431 -> new ApiException(ErrorCode.HEADERS_TOO_LARGE, "The request headers are too large.");
            case 400 -> new ApiException(ErrorCode.INVALID_REQUEST, "The request could not be read.");
            default -> status >= 400 && status < 500
                    ? new ApiException(ErrorCode.INVALID_REQUEST, "The request could not be processed.")
                    : new ApiException(ErrorCode.INTERNAL_ERROR,
                            "Something went wrong on our side. Quote the request id if you contact support.");
        };
    }

    /** Writes {@code problem} as the response, unless one was already sent. */
    public static void send(RoutingContext ctx, ApiException problem) {
        send(ctx.request(), RequestIds.of(ctx), problem);
    }

    /**
     * Answers a request the HTTP decoder refused before routing (request line or headers too
     * long, a malformed or folded header), with the same headers and body as any other problem.
     */
    public static Handler<HttpServerRequest> invalidRequestHandler(boolean https) {
        return request -> {
            String requestId = RequestIds.next();
            Responses.commonHeaders(request.response(), requestId, https);
            Throwable cause = request.decoderResult().cause();
            ApiException problem;
            if (cause instanceof TooLongHttpHeaderException) {
                problem = forStatus(431);
            } else if (cause instanceof FoldedHeaders.FoldedHeaderException) {
                problem = new ApiException(ErrorCode.INVALID_REQUEST, "A header is folded over several lines "
                        + "(obsolete line folding). Send each header on one line.");
            } else if (cause instanceof TooLongHttpLineException) {
                problem = new ApiException(ErrorCode.URI_TOO_LONG, "The request line is over "
                        + HttpLimits.MAX_INITIAL_LINE + " bytes.");
            } else {
                problem = forStatus(400);
            }
            request.response().putHeader("Connection", "close");
            send(request, requestId, problem);
        };
    }

    private static void send(HttpServerRequest request, String requestId, ApiException problem) {
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            request.connection().close();
            return;
        }
        ErrorCode code = problem.code();
        problem.headers().forEach(response::putHeader);
        code.challenge().ifPresent(challenge -> response.putHeader("WWW-Authenticate", challenge));
        JsonObject body = new JsonObject()
                .put("type", code.type())
                .put("title", code.title())
                .put("status", code.status())
                .put("detail", problem.getMessage())
                .put("code", code.code());
        problem.param().ifPresent(param -> body.put("param", param));
        body.put("request_id", requestId);
        response.setStatusCode(code.status())
                .putHeader("Content-Type", "application/problem+json")
                .end(body.toBuffer());
    }

    private static String capitalize(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}
