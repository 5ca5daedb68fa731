package dev.keygate.payments;

import dev.keygate.core.Scope;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A payment (SPEC section 5). Amounts are integers in the currency's minor unit.
 *
 * @param checkoutToken the unguessable part of the hosted checkout page's URL
 * @param failureCode   why it failed, such as {@code card_declined}
 */
public record Payment(
        String id,
        Scope scope,
        long amount,
        String currency,
        PaymentStatus status,
        Optional<String> failureCode,
        Optional<String> description,
        Optional<String> customerId,
        Map<String, String> metadata,
        long amountRefunded,
        String checkoutToken,
        Instant createdAt) {

    public Payment {
        Objects.requireNonNull(id);
        Objects.requireNonNull(scope);
        Objects.requireNonNull(currency);
        Objects.requireNonNull(status);
        Objects.requireNonNull(failureCode);
        Objects.requireNonNull(description);
        Objects.requireNonNull(customerId);
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(checkoutToken);
        Objects.requireNonNull(createdAt);
    }

    @Override
    public String toString() {
        return "Payment[id=" + id + ", amount=" + amount + " " + currency + ", status=" + status.label() + "]";
    }
}
