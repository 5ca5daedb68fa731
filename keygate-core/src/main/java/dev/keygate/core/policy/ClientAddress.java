package dev.keygate.core.policy;

/** Where a request came from, as {@link ClientAddressResolver} finds it. */
public sealed interface ClientAddress {

    /** The client's address. */
    record Known(IpAddress address) implements ClientAddress {}

    /**
     * The rightmost untrusted hop is named only by an obfuscated identifier or {@code unknown}
     * (RFC 7239 section 6), or has no {@code for=}: no address to check an allowlist against.
     */
    record Unidentified() implements ClientAddress {}

    /**
     * A trusted proxy sent a {@code Forwarded} or {@code X-Forwarded-For} that does not parse, or
     * two that disagree: the caller answers {@code 400 invalid_request} with {@code reason}.
     */
    record Malformed(String reason) implements ClientAddress {}
}
