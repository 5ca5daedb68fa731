package dev.keygate.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A payment (SPEC section 5), as {@code POST /api/v1/payments} and {@code GET /api/v1/payments[/{id}]}
 * return it. Fields the server adds in later versions are ignored.
 *
 * @param id             {@code pay_test_…} or {@code pay_live_…}
 * @param amount         in the currency's minor unit (cents for USD)
 * @param amountRefunded how much of it was refunded, in the same unit
 * @param currency       ISO 4217 code, upper-case
 * @param status         where it stands; {@link Status#UNKNOWN} for a status this SDK does not know yet
 * @param failureCode    why it failed, such as {@code card_declined}; null unless failed
 * @param description    null when none was given
 * @param customer       the customer's id, {@code cus_…}; null when none was given
 * @param metadata       the merchant's own key-value pairs; empty when none were given
 * @param checkoutUrl    the hosted page where the customer completes a pending payment
 * @param livemode       true for a live payment, false for a test one
 * @param created        when it was created, to the second
 */
public record Payment(
        String id,
        long amount,
        long amountRefunded,
        String currency,
        Status status,
        String failureCode,
        String description,
        String customer,
        Map<String, String> metadata,
        String checkoutUrl,
        boolean livemode,
        Instant created) {

    public Payment {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        status = status == null ? Status.UNKNOWN : status;
    }

    /** What is left to refund. */
    public long amountRefundable() {
        return status == Status.SUCCEEDED ? amount - amountRefunded : 0;
    }

    /** Where a payment stands. In test mode the amount decides: ending in {@code 00} succeeds, in {@code 02} fails. */
    public enum Status {
        /** Waiting for the customer to complete the checkout page. */
        PENDING,
        /** Paid; it can be refunded. */
        SUCCEEDED,
        /** Declined; see {@link Payment#failureCode()}. */
        FAILED,
        /** A status added to the API after this SDK was built. */
        UNKNOWN;

        /** The status named {@code label} in the API ({@code pending}, …); {@link #UNKNOWN} for any other. */
        @JsonCreator
        public static Status fromLabel(String label) {
            for (Status status : values()) {
                if (status != UNKNOWN && status.label().equals(label)) {
                    return status;
                }
            }
            return UNKNOWN;
        }

        /** The name used in the API: {@code pending}, {@code succeeded}, {@code failed}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
