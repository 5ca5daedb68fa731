package dev.keygate.core.dashboard;

import java.time.Instant;

/** How a dashboard password change went ({@link PasswordChanges}). */
public sealed interface PasswordChange {

    /** The new password is set and every other session of the account is over. */
    record Changed() implements PasswordChange {}

    /** The current password was wrong; nothing changed. */
    record WrongPassword() implements PasswordChange {}

    /** Too many wrong passwords for this account: nothing is checked until {@code until}. */
    record Locked(Instant until) implements PasswordChange {}

    /**
     * The new password breaks a rule, or its confirmation differs; nothing changed.
     *
     * @param field {@code password} or {@code confirmation}
     */
    record Invalid(String field, String message) implements PasswordChange {}
}
