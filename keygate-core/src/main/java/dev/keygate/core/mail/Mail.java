package dev.keygate.core.mail;

import java.util.Objects;

/**
 * One plain-text email. {@link #toString()} leaves out the body, which may hold a one-time code
 * or a verification link.
 */
public record Mail(String to, String subject, String text) {
    public Mail {
        Objects.requireNonNull(to);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(text);
    }

    @Override
    public String toString() {
        return "Mail[to=" + to + ", subject=" + subject + "]";
    }
}
