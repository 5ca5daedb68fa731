package dev.keygate.client;

import java.util.List;

/**
 * The account's balance in the key's environment, per currency, as {@code GET /api/v1/balance}
 * returns it (SPEC section 5).
 *
 * @param livemode  true for the live balance
 * @param available succeeded payments less refunds, one entry per currency
 * @param pending   payments not completed yet, one entry per currency
 */
public record Balance(boolean livemode, List<Amount> available, List<Amount> pending) {

    public Balance {
        available = available == null ? List.of() : List.copyOf(available);
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    /** The available amount in {@code currency} (ISO 4217, any case); 0 when there is none. */
    public long availableAmount(String currency) {
        return sum(available, currency);
    }

    /** The pending amount in {@code currency} (ISO 4217, any case); 0 when there is none. */
    public long pendingAmount(String currency) {
        return sum(pending, currency);
    }

    private static long sum(List<Amount> amounts, String currency) {
        return amounts.stream()
                .filter(amount -> amount.currency().equalsIgnoreCase(currency))
                .mapToLong(Amount::amount)
                .sum();
    }

    /**
     * An amount in one currency.
     *
     * @param currency ISO 4217 code, upper-case
     * @param amount   in the currency's minor unit
     */
    public record Amount(String currency, long amount) {}
}
