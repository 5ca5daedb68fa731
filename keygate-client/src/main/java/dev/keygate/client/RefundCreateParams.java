package dev.keygate.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The body of {@code POST /api/v1/payments/{id}/refunds} (SPEC section 5): how much to refund; all
 * that is left when no amount is given.
 *
 * <pre>{@code
 * client.payments().refund(paymentId, RefundCreateParams.amount(500)); // 5.00 of it
 * client.payments().refund(paymentId);                                 // all that is left
 * }</pre>
 */
public final class RefundCreateParams {

    private static final RefundCreateParams FULL = new RefundCreateParams(OptionalLong.empty());

    private final OptionalLong amount;

    private RefundCreateParams(OptionalLong amount) {
        this.amount = amount;
    }

    /** Refund all that is left of the payment. */
    public static RefundCreateParams full() {
        return FULL;
    }

    /** Refund {@code amount}, in the payment's minor unit. */
    public static RefundCreateParams amount(long amount) {
        return new RefundCreateParams(OptionalLong.of(amount));
    }

    /** The amount to refund; empty for all that is left. */
    public OptionalLong refundAmount() {
        return amount;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        amount.ifPresent(value -> body.put("amount", value));
        return body;
    }

    @Override
    public String toString() {
        return "RefundCreateParams" + body();
    }
}
