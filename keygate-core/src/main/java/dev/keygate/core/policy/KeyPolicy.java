package dev.keygate.core.policy;

import dev.keygate.keyformat.KeyType;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A key's policy (SPEC section 12), set when it is created and kept across a rotation: a
 * restricted key's permissions, an IP allowlist (empty = any address), the expiry chosen, and the
 * key's own rate limit (empty = only the account's). Build one with {@link KeyPolicyBuilder},
 * which checks every field against the rules.
 *
 * <pre>{@code
 * KeyPolicy policy = KeyPolicy.builder().permissions("payments:write").allowIp("192.0.2.0/24")
 *         .build(KeyType.RESTRICTED, 120, Permissions.BUILT_IN);
 * policy.authorize("payments", Operation.READ);   // GRANTED
 * }</pre>
 */
public record KeyPolicy(Permissions permissions, CidrList allowedIps, KeyExpiry expiry, OptionalInt perMinute) {

    /** At most this many CIDRs in an allowlist. */
    public static final int MAX_ALLOWED_IPS = 50;
    /** A key with no restriction: any address, never expires, the account's limit only. */
    public static final KeyPolicy UNRESTRICTED =
            new KeyPolicy(Permissions.NONE, CidrList.EMPTY, KeyExpiry.NEVER, OptionalInt.empty());

    public KeyPolicy {
        Objects.requireNonNull(permissions);
        Objects.requireNonNull(allowedIps);
        Objects.requireNonNull(expiry);
        Objects.requireNonNull(perMinute);
    }

    /** A builder that validates text as the dashboard's form and the CLI's flags give it. */
    public static KeyPolicyBuilder builder() {
        return new KeyPolicyBuilder();
    }

    /**
     * Whether a restricted key with this policy may do {@code operation} on {@code resource};
     * when not, names the permission it lacks. Allocates nothing when granted.
     */
    public Authorization authorize(String resource, Operation operation) {
        return permissions.authorize(resource, operation);
    }

    /**
     * Whether a request from {@code client} passes the allowlist: any address does when it is
     * empty; an address that could not be identified (an obfuscated or {@code unknown} hop) passes
     * only then.
     */
    public boolean allowsFrom(ClientAddress client) {
        if (allowedIps.isEmpty()) {
            return true;
        }
        return client instanceof ClientAddress.Known known && allowedIps.contains(known.address());
    }

    /** The limit that applies to the key besides the account's: the lower of the two. */
    public int effectiveLimit(int accountLimit) {
        return perMinute.isPresent() ? Math.min(perMinute.getAsInt(), accountLimit) : accountLimit;
    }

    /** Whether the key may be of {@code type}: only restricted keys have permissions. */
    static boolean fits(KeyType type, Permissions permissions) {
        return type == KeyType.RESTRICTED || permissions.levels().isEmpty();
    }
}
