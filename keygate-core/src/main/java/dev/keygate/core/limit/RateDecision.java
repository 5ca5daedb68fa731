package dev.keygate.core.limit;

/**
 * The answer of a {@link RateLimiter}: everything the HTTP layer needs for {@code 429},
 * {@code Retry-After} and the {@code RateLimit}/{@code RateLimit-Policy} fields
 * (draft-ietf-httpapi-ratelimit-headers-11).
 *
 * @param accepted          whether the request may go on; a refused one was not counted
 * @param limit             requests allowed in any {@link RateLimiter#WINDOW}
 * @param remaining         how many more would be accepted right now
 * @param resetSeconds      seconds until the oldest counted request leaves the window (0 if none is counted)
 * @param retryAfterSeconds for a refused request, seconds until one would be accepted; 0 when accepted
 */
public record RateDecision(boolean accepted, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {}
