package dev.keygate.payments;

import java.util.Locale;

/** Where a payment stands (SPEC section 5). */
public enum PaymentStatus {
    PENDING,
    SUCCEEDED,
    FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PaymentStatus fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
