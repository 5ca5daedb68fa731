package dev.keygate.client;

import dev.keygate.keyformat.ApiKey;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-call options: another API key than the client's (a platform calling on behalf of several
 * merchants, say), and the {@code Idempotency-Key} of a POST.
 *
 * <pre>{@code
 * RequestOptions options = RequestOptions.builder()
 *         .apiKey(merchantSecretKey)              // checked at once, like the client's
 *         .idempotencyKey("order-1042-payment")   // your own, stable across your retries
 *         .build();
 * Payment payment = client.payments().create(params, options);
 * }</pre>
 *
 * <p>Without an idempotency key the SDK generates a random one per call, used for each of its own
 * retries of that call. Give your own to make retries of yours (after a crash, say) safe as well: the
 * server answers a replay with the first response (SPEC section 5). {@link #toString()} masks the key.
 */
public final class RequestOptions {

    /** Longest {@code Idempotency-Key} the server accepts. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private static final RequestOptions DEFAULTS = new RequestOptions(null, null);

    private final ApiKey apiKey;
    private final String idempotencyKey;

    private RequestOptions(ApiKey apiKey, String idempotencyKey) {
        this.apiKey = apiKey;
        this.idempotencyKey = idempotencyKey;
    }

    /** No options: the client's key and a generated idempotency key. */
    public static RequestOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The key to send instead of the client's, if any. */
    public Optional<ApiKey> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /** The {@code Idempotency-Key} to send with a POST, if any (GETs do not send one). */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /** Never shows the whole key. */
    @Override
    public String toString() {
        return "RequestOptions[apiKey=" + (apiKey == null ? "(client's)" : apiKey.masked())
                + ", idempotencyKey=" + (idempotencyKey == null ? "(generated)" : idempotencyKey) + "]";
    }

    /** Builds {@link RequestOptions}. */
    public static final class Builder {
        private ApiKey apiKey;
        private String idempotencyKey;

        private Builder() {}

        /**
         * The key for this call, checked with the same format rules as the server's (SPEC section 2).
         *
         * @throws dev.keygate.keyformat.MalformedApiKeyException for a mistyped key; its message never contains the key
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = ApiKey.parse(Objects.requireNonNull(apiKey, "apiKey"));
            return this;
        }

        /**
         * The {@code Idempotency-Key} for a POST: 1 to {@value #MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII
         * characters, unique per operation. Use a new one for a new operation: the same key with another
         * body is refused ({@code 409 idempotency_key_reused}).
         *
         * @throws IllegalArgumentException for an empty, too long or non-printable key
         */
        public Builder idempotencyKey(String idempotencyKey) {
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            if (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                    || !idempotencyKey.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                throw new IllegalArgumentException("idempotencyKey must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                        + " printable ASCII characters");
            }
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        public RequestOptions build() {
            return new RequestOptions(apiKey, idempotencyKey);
        }
    }
}
