package dev.keygate.core.policy;

import java.util.List;

/**
 * Finds a request's client address (SPEC section 12): the TCP peer's, unless the peer is in
 * {@code KEYGATE_TRUSTED_PROXIES}; then the rightmost address of {@code Forwarded} (RFC 7239) or
 * {@code X-Forwarded-For} that is not a trusted proxy. Entries left of it were written by the
 * client and are never believed. A header that does not parse, or both headers naming different
 * clients (one of them was then written by the client), is {@link ClientAddress.Malformed}.
 *
 * <pre>{@code
 * ClientAddressResolver resolver = new ClientAddressResolver(CidrList.parseCommaSeparated("10.0.0.0/8"));
 * ClientAddress client = resolver.resolve(peer, request.headers().getAll("Forwarded"),
 *         request.headers().getAll("X-Forwarded-For"));
 * }</pre>
 */
public final class ClientAddressResolver {

    private final CidrList trustedProxies;

    /** {@code trustedProxies} empty: every request's address is its peer's. */
    public ClientAddressResolver(CidrList trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * The client address of a request from {@code peer} with these header lines (each list in
     * the order received; empty when the header is absent).
     */
    public ClientAddress resolve(IpAddress peer, List<String> forwarded, List<String> xForwardedFor) {
        if (!trustedProxies.contains(peer) || (forwarded.isEmpty() && xForwardedFor.isEmpty())) {
            return new ClientAddress.Known(peer);
        }
        IpAddress fromForwarded = null;
        IpAddress fromXff = null;
        try {
            if (!forwarded.isEmpty()) {
                fromForwarded = rightmostUntrusted(ForwardedHeader.forNodes(forwarded));
            }
            if (!xForwardedFor.isEmpty()) {
                fromXff = rightmostUntrusted(XForwardedForHeader.addresses(xForwardedFor));
            }
        } catch (IllegalArgumentException malformed) {
            return new ClientAddress.Malformed(malformed.getMessage() + ".");
        }
        if (fromForwarded != null && fromXff != null
                && (fromForwarded == ForwardedHeader.UNIDENTIFIED || !fromForwarded.equals(fromXff))) {
            return new ClientAddress.Malformed("Forwarded and X-Forwarded-For name different clients.");
        }
        IpAddress client = fromForwarded != null ? fromForwarded : fromXff;
        return client == ForwardedHeader.UNIDENTIFIED ? new ClientAddress.Unidentified() : new ClientAddress.Known(client);
    }

    /** The rightmost hop not in the trusted proxies; the leftmost when every hop is one. */
    private IpAddress rightmostUntrusted(List<IpAddress> hops) {
        for (int i = hops.size() - 1; i >= 0; i--) {
            IpAddress hop = hops.get(i);
            if (hop == ForwardedHeader.UNIDENTIFIED || !trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return hops.get(0);
    }
}
