package dev.keygate.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.Locale;

/**
 * A refund of all or part of a succeeded payment, as {@code POST /api/v1/payments/{id}/refunds}
 * returns it (SPEC section 5).
 *
 * @param id       {@code re_test_…} or {@code re_live_…}
 * @param payment  the refunded payment's id
 * @param amount   in the currency's minor unit
 * @param currency ISO 4217 code, upper-case
 * @param status   {@link Status#SUCCEEDED} for every refund this version of Keygate makes
 * @param livemode true for a live refund
 * @param created  when it was made, to the second
 */
public record Refund(
        String id,
        String payment,
        long amount,
        String currency,
        Status status,
        boolean livemode,
        Instant created) {

    public Refund {
        status = status == null ? Status.UNKNOWN : status;
    }

    /** Where a refund stands. */
    public enum Status {
        PENDING,
        SUCCEEDED,
        FAILED,
        /** A status added to the API after this SDK was built. */
        UNKNOWN;

        /** The status named {@code label} in the API; {@link #UNKNOWN} for any other. */
        @JsonCreator
        public static Status fromLabel(String label) {
            for (Status status : values()) {
                if (status != UNKNOWN && status.label().equals(label)) {
                    return status;
                }
            }
            return UNKNOWN;
        }

        /** The name used in the API, such as {@code succeeded}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
