package dev.keygate.core;

/** A value given by a user breaks a rule; {@link #param()} names it. The message never echoes a secret. */
public class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String param;

    public InvalidInputException(String param, String message) {
        super(message);
        this.param = param;
    }

    /** The offending field, such as {@code email}. */
    public String param() {
        return param;
    }
}
