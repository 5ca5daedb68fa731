package dev.keygate.core.mail;

/**
 * Sends mail: over SMTP when {@code KEYGATE_SMTP_URL} is set, else as {@code .eml} files in the
 * data directory's outbox folder (SPEC section 10). Blocking: call it off the event loop.
 */
public interface MailSender {

    /**
     * Sends {@code mail}.
     *
     * @throws MailException if it could not be handed over; the message never holds the mail's body
     */
    void send(Mail mail);
}
