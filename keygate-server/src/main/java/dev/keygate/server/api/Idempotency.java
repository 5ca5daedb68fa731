package dev.keygate.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keygate.core.Scope;
import dev.keygate.core.Sha256;
import dev.keygate.keyformat.KeyType;
import dev.keygate.payments.IdempotentResponse;
import dev.keygate.payments.PaymentStore;
import dev.keygate.server.http.ApiException;
import dev.keygate.server.http.ErrorCode;
import dev.keygate.server.http.JsonBody;
import dev.keygate.server.http.RequestKey;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on POSTs (SPEC section 5): the first response is kept 24 hours in the same
 * transaction as the object it created; a replay returns it with {@code Idempotent-Replayed: true};
 * the same key with another body is {@code 409 idempotency_key_reused}. Keys are scoped to the
 * account, environment and key type, so a publishable key (public by design) cannot claim a key
 * the merchant's server later sends with its secret key. Two concurrent requests
 * with one key create one object: the store's unique key lets one transaction win, and the other
 * replays its response.
 */
public final class Idempotency {

    static final String HEADER = "Idempotency-Key";
    private static final ObjectWriter CANONICAL =
            JsonBody.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final Pattern VALID = Pattern.compile("[\\x20-\\x7E]{1," + IdempotentResponse.MAX_KEY_LENGTH + "}");

    /** What a POST answers. */
    record Reply(int status, String body, boolean replayed) {}

    /** Creates an object, handing over the response to keep with it (empty without a key). */
    @FunctionalInterface
    interface Creation<T> {
        T create(Function<T, Optional<IdempotentResponse>> responseToKeep);
    }

    /** A POST's key, the type of the API key that sent it, and its fingerprint, read on the event loop. */
    record Request(Optional<String> key, KeyType keyType, String fingerprint) {

        /**
         * The request's key, the type of the API key that authenticated it (keys are kept per type),
         * and a fingerprint of its method, path and parameters: the parsed body
         * written in one canonical form, so that a retry whose JSON differs only in field order or
         * spacing is the same request (as Stripe compares parameters, not bytes).
         *
         * @throws ApiException for a key that is too long or not printable
         */
        static Request of(RoutingContext ctx, Object parsedBody) {
            String key = ctx.request().getHeader(HEADER);
            if (key != null && !VALID.matcher(key).matches()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "Idempotency-Key must be 1 to "
                        + IdempotentResponse.MAX_KEY_LENGTH + " printable ASCII characters.", HEADER, java.util.Map.of());
            }
            try {
                byte[] line = (ctx.request().method().name() + " " + ctx.request().path() + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] parameters = CANONICAL.writeValueAsBytes(parsedBody);
                byte[] fingerprinted = Arrays.copyOf(line, line.length + parameters.length);
                System.arraycopy(parameters, 0, fingerprinted, line.length, parameters.length);
                return new Request(Optional.ofNullable(key), RequestKey.of(ctx).type(), Sha256.hex(fingerprinted));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a parsed body always serializes", e);
            }
        }
    }

    private final PaymentStore store;
    private final Clock clock;

    public Idempotency(PaymentStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Runs {@code creation} once per key and scope; blocking, call it off the event loop. */
    <T> Reply create(Scope scope, Request request, int status, Creation<T> creation, Function<T, String> render) {
        Instant now = clock.instant();
        if (request.key().isPresent()) {
            Optional<IdempotentResponse> kept = kept(scope, request, now);
            if (kept.isPresent()) {
                return replay(kept.get(), request);
            }
        }
        AtomicReference<String> body = new AtomicReference<>();
        try {
            T created = creation.create(object -> {
                body.set(render.apply(object));
                return request.key().map(key -> new IdempotentResponse(scope, request.keyType(), key,
                        request.fingerprint(), status, body.get(), now));
            });
            return new Reply(status, body.get() != null ? body.get() : render.apply(created), false);
        } catch (RuntimeException failure) {
            // A concurrent request with the same key may have won: its insert was refused here
            // (a conflict), or it changed what this one checked (a refund with nothing left).
            // If it kept a response, this request replays it.
            if (request.key().isEmpty()) {
                throw failure;
            }
            return replay(kept(scope, request, now).orElseThrow(() -> failure), request);
        }
    }

    private Optional<IdempotentResponse> kept(Scope scope, Request request, Instant now) {
        return store.findIdempotentResponse(scope, request.keyType(), request.key().orElseThrow(),
                now.minus(IdempotentResponse.TTL));
    }

    private static Reply replay(IdempotentResponse kept, Request request) {
        if (!MessageDigest.isEqual(kept.fingerprint().getBytes(StandardCharsets.US_ASCII),
                request.fingerprint().getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used with another "
                    + "request in the last 24 hours. Use a new key for a new request.");
        }
        return new Reply(kept.status(), kept.body(), true);
    }
}
