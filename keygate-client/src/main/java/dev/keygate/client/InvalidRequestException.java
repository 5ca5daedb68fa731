package dev.keygate.client;

/**
 * The request was refused as sent ({@code 400}, {@code 404}, {@code 409}, {@code 413}, {@code 415} and
 * any other {@code 4xx} without a subtype of its own, SPEC section 5): a bad field (named by
 * {@link #param()}), an object that does not exist in this account and environment
 * ({@code resource_missing}), or an {@code Idempotency-Key} reused with another body
 * ({@code idempotency_key_reused}). Sending the same request again gets the same answer.
 */
public class InvalidRequestException extends KeygateException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String detail, int statusCode, String code, String requestId, String param,
            Throwable cause) {
        super(detail, statusCode, code, requestId, param, cause);
    }
}
