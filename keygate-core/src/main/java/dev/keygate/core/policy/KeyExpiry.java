package dev.keygate.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When a key expires, chosen at its creation (SPEC section 12): never (the default), or after 7, 30, 90 or 365 days. */
public enum KeyExpiry {
    NEVER("never", null),
    DAYS_7("7d", Duration.ofDays(7)),
    DAYS_30("30d", Duration.ofDays(30)),
    DAYS_90("90d", Duration.ofDays(90)),
    DAYS_365("365d", Duration.ofDays(365));

    /** The default: a key that never expires. */
    public static final KeyExpiry DEFAULT = NEVER;

    private final String label;
    private final Duration lifetime;

    KeyExpiry(String label, Duration lifetime) {
        this.label = label;
        this.lifetime = lifetime;
    }

    /** {@code never}, {@code 7d}, {@code 30d}, {@code 90d} or {@code 365d}, as {@code --expires-in} takes it. */
    public String label() {
        return label;
    }

    /** The key's {@code expires_at} when it is created at {@code createdAt}; empty for never. */
    public Optional<Instant> expiresAt(Instant createdAt) {
        return lifetime == null ? Optional.empty() : Optional.of(createdAt.plus(lifetime));
    }

    /**
     * The choice labelled {@code label}.
     *
     * @throws IllegalArgumentException when it is not one of the five
     */
    public static KeyExpiry fromLabel(String label) {
        for (KeyExpiry expiry : values()) {
            if (expiry.label.equals(label)) {
                return expiry;
            }
        }
        throw new IllegalArgumentException("expiry must be never, 7d, 30d, 90d or 365d");
    }
}
