package dev.keygate.server;

import dev.keygate.core.Scope;
import dev.keygate.core.accounts.Account;
import dev.keygate.keyformat.ApiKey;
import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;
import dev.keygate.server.testing.TestServer;

/**
 * An account of a {@link TestServer} with one key of each type in each environment, for tests of
 * the payments API.
 *
 * <pre>{@code
 * Merchant shop = Merchant.create(server);
 * api.createPayment(shop.publicTest(), 1000, "USD");
 * }</pre>
 */
record Merchant(Account account, ApiKey publicTest, ApiKey secretTest, ApiKey publicLive, ApiKey secretLive) {

    /** A new account and its four keys, made straight in the store (no request is counted). */
    static Merchant create(TestServer server) {
        Account account = server.account();
        return new Merchant(account,
                server.key(account, KeyType.PUBLIC, Environment.TEST),
                server.key(account, KeyType.SECRET, Environment.TEST),
                server.key(account, KeyType.PUBLIC, Environment.LIVE),
                server.key(account, KeyType.SECRET, Environment.LIVE));
    }

    String id() {
        return account.id();
    }

    ApiKey key(KeyType type, Environment environment) {
        return switch (type) {
            case PUBLIC -> environment == Environment.TEST ? publicTest : publicLive;
            case SECRET -> environment == Environment.TEST ? secretTest : secretLive;
            case RESTRICTED -> throw new IllegalArgumentException("a merchant has no restricted key");
        };
    }

    ApiKey secret(Environment environment) {
        return key(KeyType.SECRET, environment);
    }

    Scope scope(Environment environment) {
        return new Scope(account.id(), environment);
    }
}
