package dev.keygate.core.limit;

import dev.keygate.core.testing.MutableClock;
import dev.keygate.core.testing.RateLimiterContract;

/** The in-process limiter keeps the limiter contract. */
class SlidingWindowRateLimiterContractTest extends RateLimiterContract {

    @Override
    protected RateLimiter newLimiter(MutableClock clock) {
        return new SlidingWindowRateLimiter(clock);
    }
}
