package dev.keygate.core;

/**
 * No such object in the caller's account and environment. The API answers {@code 404
 * resource_missing} whether the object does not exist or belongs to someone else, so existence
 * does not leak.
 */
public class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
