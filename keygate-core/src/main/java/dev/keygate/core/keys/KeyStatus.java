package dev.keygate.core.keys;

/** The status of an API key as the dashboard and the CLI show it (SPEC section 1). */
public enum KeyStatus {
    /** Works, with no end set. */
    ACTIVE,
    /** Works until its {@code expires_at} (for example in a rotation's grace period). */
    EXPIRING,
    /** Past its {@code expires_at}: refused with {@code api_key_expired}. */
    EXPIRED,
    /** Deleted: refused with {@code invalid_api_key}. */
    REVOKED;

    /** The lower-case name used in JSON and the CLI. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
