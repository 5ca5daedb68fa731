package dev.keygate.payments;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What a client asks for when it initiates a payment; checked by {@link Payments#create}. */
public record NewPayment(
        long amount, String currency, Optional<String> description, Optional<String> customerId,
        Map<String, String> metadata) {
    public NewPayment {
        Objects.requireNonNull(currency);
        Objects.requireNonNull(description);
        Objects.requireNonNull(customerId);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
