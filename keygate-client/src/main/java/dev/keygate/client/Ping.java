package dev.keygate.client;

import dev.keygate.keyformat.Environment;
import dev.keygate.keyformat.KeyType;

/**
 * The answer of {@code GET /api/v1/ping} (SPEC section 5): which account, environment and key the
 * request was authenticated as.
 *
 * @param ok          always true in a successful answer
 * @param account     the account id, {@code acct_…}
 * @param environment the key's environment
 * @param keyType     the key's type
 * @param keyId       the key's public id, {@code key_…}, safe to log
 */
public record Ping(boolean ok, String account, Environment environment, KeyType keyType, String keyId) {}
