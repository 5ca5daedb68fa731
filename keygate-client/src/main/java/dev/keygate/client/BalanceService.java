package dev.keygate.client;

import com.fasterxml.jackson.databind.JavaType;
import java.util.Map;
import java.util.Objects;

/** The account's balance (SPEC section 5), from {@link KeygateClient#balance()}; a secret key is needed. */
public final class BalanceService {

    static final String PATH = "/api/v1/balance";
    private static final JavaType BALANCE = Json.type(Balance.class);

    private final Transport transport;

    BalanceService(Transport transport) {
        this.transport = transport;
    }

    /** Available and pending amounts per currency, in the key's environment. */
    public Balance retrieve() {
        return retrieve(RequestOptions.defaults());
    }

    public Balance retrieve(RequestOptions options) {
        return transport.get(PATH, Map.of(), Objects.requireNonNull(options, "options"), BALANCE);
    }
}
