package dev.keygate.core.dashboard;

import dev.keygate.core.limit.RateDecision;
import dev.keygate.core.limit.RateLimiter;
import dev.keygate.core.limit.SlidingWindowRateLimiter;
import java.time.Clock;

/**
 * The per-address log-in throttle, on top of the per-email lockout of {@link Logins}: at most
 * {@link #ATTEMPTS_PER_ADDRESS} log-in attempts from one client address in any
 * {@link RateLimiter#WINDOW}, whatever emails they name (unknown ones too), counted before any
 * password is checked. Kept in this process: each node throttles what it sees.
 *
 * <pre>{@code
 * RateDecision decision = throttle.attempt(clientAddress);
 * if (!decision.accepted()) { answer429(decision.retryAfterSeconds()); }
 * }</pre>
 */
public final class LoginThrottle {

    /** Log-in attempts one client address may make per {@link RateLimiter#WINDOW} (60 s). */
    public static final int ATTEMPTS_PER_ADDRESS = 30;

    private final SlidingWindowRateLimiter limiter;

    public LoginThrottle(Clock clock) {
        this.limiter = new SlidingWindowRateLimiter(clock);
    }

    /** Counts an attempt from {@code address} if it is within the limit; a refused attempt is not counted. */
    public RateDecision attempt(String address) {
        return limiter.acquire(address, ATTEMPTS_PER_ADDRESS);
    }
}
