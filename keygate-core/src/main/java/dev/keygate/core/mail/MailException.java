package dev.keygate.core.mail;

/** A mail could not be sent or written. Its message names the cause, never the mail's body or a password. */
public class MailException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MailException(String message, Throwable cause) {
        super(message, cause);
    }
}
