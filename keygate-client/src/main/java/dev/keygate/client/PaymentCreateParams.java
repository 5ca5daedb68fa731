package dev.keygate.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /api/v1/payments} (SPEC section 5). Amount and currency are required;
 * the server checks every value and answers {@link InvalidRequestException} naming the field.
 *
 * <pre>{@code
 * PaymentCreateParams params = PaymentCreateParams.builder()
 *         .amount(2000).currency("usd")          // 20.00 USD, in minor units
 *         .description("Order 1042")
 *         .putMetadata("order_id", "1042")
 *         .build();
 * }</pre>
 */
public final class PaymentCreateParams {

    private final long amount;
    private final String currency;
    private final String description;
    private final String customer;
    private final Map<String, String> metadata;

    private PaymentCreateParams(Builder builder) {
        this.amount = builder.amount;
        this.currency = builder.currency;
        this.description = builder.description;
        this.customer = builder.customer;
        this.metadata = Map.copyOf(builder.metadata);
    }

    public static Builder builder() {
        return new Builder();
    }

    public long amount() {
        return amount;
    }

    public String currency() {
        return currency;
    }

    /** Null when not set. */
    public String description() {
        return description;
    }

    /** Null when not set. */
    public String customer() {
        return customer;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", amount);
        body.put("currency", currency);
        if (description != null) {
            body.put("description", description);
        }
        if (customer != null) {
            body.put("customer", customer);
        }
        if (!metadata.isEmpty()) {
            body.put("metadata", metadata);
        }
        return body;
    }

    @Override
    public String toString() {
        return "PaymentCreateParams" + body();
    }

    /** Builds {@link PaymentCreateParams}; {@link #build()} requires amount and currency. */
    public static final class Builder {
        private Long amount;
        private String currency;
        private String description;
        private String customer;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {}

        /** The amount in the currency's minor unit (2000 is 20.00 USD). Required. */
        public Builder amount(long amount) {
            this.amount = amount;
            return this;
        }

        /** ISO 4217 code, any case, such as {@code usd}. Required. */
        public Builder currency(String currency) {
            this.currency = Objects.requireNonNull(currency, "currency");
            return this;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** The id of a customer of the same account and environment, {@code cus_…}. */
        public Builder customer(String customerId) {
            this.customer = Objects.requireNonNull(customerId, "customer");
            return this;
        }

        /** Adds a key-value pair of the merchant's own, returned with the payment. */
        public Builder putMetadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "metadata key"), Objects.requireNonNull(value, "metadata value"));
            return this;
        }

        /** Adds every pair of {@code entries}. */
        public Builder putAllMetadata(Map<String, String> entries) {
            entries.forEach(this::putMetadata);
            return this;
        }

        /** @throws IllegalStateException if amount or currency is missing */
        public PaymentCreateParams build() {
            if (amount == null) {
                throw new IllegalStateException("amount is required");
            }
            if (currency == null) {
                throw new IllegalStateException("currency is required");
            }
            return new PaymentCreateParams(this);
        }
    }
}
