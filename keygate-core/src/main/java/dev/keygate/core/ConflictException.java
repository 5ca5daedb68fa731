package dev.keygate.core;

/** A write was refused because it would break a uniqueness rule, such as a second account with the same email. */
public class ConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
