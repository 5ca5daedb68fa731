package dev.keygate.core.rotation;

import dev.keygate.core.mail.Mail;
import java.util.Objects;

/** A mail waiting in the outbox table to be sent after the transaction that wrote it committed. */
public record OutboxMail(long id, Mail mail, int attempts) {
    public OutboxMail {
        Objects.requireNonNull(mail);
    }
}
