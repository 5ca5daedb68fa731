package dev.keygate.core;

/**
 * The store could not answer (down, unreachable, timed out). The HTTP layer answers {@code 503
 * service_unavailable}, never {@code 401}: an outage must not look like a bad key (SPEC section 3).
 * Adapters translate their driver's exceptions into this one; its message never holds a secret.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
