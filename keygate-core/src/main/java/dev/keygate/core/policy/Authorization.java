package dev.keygate.core.policy;

/** The answer of {@link Permissions#authorize}: granted, or the permission the key lacks. */
public sealed interface Authorization {

    /** The key may do it. */
    record Granted() implements Authorization {}

    /**
     * The key lacks {@code permission}, such as {@code payments:write}, for the {@code detail} of
     * {@code 403 insufficient_permissions} (SPEC section 3).
     */
    record Lacking(String permission) implements Authorization {}

    /** The one {@link Granted}: a granted check allocates nothing. */
    Authorization GRANTED = new Granted();
}
