package dev.keygate.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /api/v1/customers} (SPEC section 5): an email, and optionally a name.
 *
 * <pre>{@code
 * Customer customer = client.customers().create(CustomerCreateParams.builder()
 *         .email("ada@example.com").name("Ada Lovelace").build());
 * }</pre>
 */
public final class CustomerCreateParams {

    private final String email;
    private final String name;

    private CustomerCreateParams(String email, String name) {
        this.email = email;
        this.name = name;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String email() {
        return email;
    }

    /** Null when not set. */
    public String name() {
        return name;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        if (name != null) {
            body.put("name", name);
        }
        return body;
    }

    @Override
    public String toString() {
        return "CustomerCreateParams" + body();
    }

    /** Builds {@link CustomerCreateParams}; {@link #build()} requires the email. */
    public static final class Builder {
        private String email;
        private String name;

        private Builder() {}

        /** Required. */
        public Builder email(String email) {
            this.email = Objects.requireNonNull(email, "email");
            return this;
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @throws IllegalStateException if the email is missing */
        public CustomerCreateParams build() {
            if (email == null) {
                throw new IllegalStateException("email is required");
            }
            return new CustomerCreateParams(email, name);
        }
    }
}
