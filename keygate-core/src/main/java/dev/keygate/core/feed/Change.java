package dev.keygate.core.feed;

import dev.keygate.core.keys.KeyDigest;
import java.util.Optional;

/**
 * One entry of the store's change feed: a key was deleted or its expiry changed, or an account's
 * rate limit changed. Every node reads the feed and drops what it cached (SPEC section 7).
 *
 * @param sequence increasing position in the feed
 * @param digest   the key that changed; empty when the change is account-wide
 */
public record Change(long sequence, String accountId, Optional<KeyDigest> digest) {}
