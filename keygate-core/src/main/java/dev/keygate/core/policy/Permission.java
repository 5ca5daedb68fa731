package dev.keygate.core.policy;

import java.util.Locale;

/** A restricted key's level on one resource (SPEC section 12): {@code none}, {@code read} or {@code write}, which includes read. */
public enum Permission {
    NONE,
    READ,
    WRITE;

    /** {@code none}, {@code read} or {@code write}, as the CLI, the dashboard and JSON write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this level lets a key do {@code operation}. */
    public boolean allows(Operation operation) {
        return this == WRITE || (this == READ && operation == Operation.READ);
    }

    /**
     * The level named {@code label}.
     *
     * @throws IllegalArgumentException when it is not none, read or write
     */
    public static Permission fromLabel(String label) {
        for (Permission permission : values()) {
            if (permission.label().equals(label)) {
                return permission;
            }
        }
        throw new IllegalArgumentException("a permission is none, read or write");
    }
}
