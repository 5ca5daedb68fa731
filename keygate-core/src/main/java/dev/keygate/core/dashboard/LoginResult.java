package dev.keygate.core.dashboard;

import dev.keygate.core.accounts.Session;
import java.time.Instant;

/** What a log-in attempt gives. */
public sealed interface LoginResult permits LoginResult.LoggedIn, LoginResult.Refused, LoginResult.Locked {

    /** A new session: the token for the browser's cookie (shown nowhere else) and its record. */
    record LoggedIn(String token, Session session) implements LoginResult {
        @Override
        public String toString() {
            return "LoggedIn[" + session + "]";
        }
    }

    /** Wrong email or password: the same answer for both. */
    record Refused() implements LoginResult {}

    /** Too many failed logins: refused without looking at the password until {@code until}. */
    record Locked(Instant until) implements LoginResult {}
}
