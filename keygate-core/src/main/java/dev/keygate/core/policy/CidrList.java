package dev.keygate.core.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A list of networks that answers whether an address is in any of them, as an IP allowlist
 * (SPEC section 12) or {@code KEYGATE_TRUSTED_PROXIES} (SPEC section 10) needs it: the check
 * scans precomputed masks and allocates nothing.
 *
 * <pre>{@code
 * CidrList proxies = CidrList.parse(List.of("10.0.0.0/8", "fd00::/8"));
 * proxies.contains(peer);
 * }</pre>
 */
public final class CidrList {

    /** The empty list: contains no address. */
    public static final CidrList EMPTY = new CidrList(List.of());

    private final List<Cidr> entries;
    /** IPv4 networks and masks, side by side in flat arrays: the scan touches no object per entry. */
    private final long[] ipv4Networks;
    private final long[] ipv4Masks;
    /** IPv6 networks and masks as (high, low) pairs. */
    private final long[] ipv6Networks;
    private final long[] ipv6Masks;

    private CidrList(List<Cidr> entries) {
        this.entries = List.copyOf(entries);
        int ipv4Count = (int) this.entries.stream().filter(Cidr::isIpv4).count();
        ipv4Networks = new long[ipv4Count];
        ipv4Masks = new long[ipv4Count];
        ipv6Networks = new long[2 * (this.entries.size() - ipv4Count)];
        ipv6Masks = new long[ipv6Networks.length];
        int v4 = 0;
        int v6 = 0;
        for (Cidr cidr : this.entries) {
            if (cidr.isIpv4()) {
                ipv4Networks[v4] = cidr.low;
                ipv4Masks[v4++] = cidr.maskLow;
            } else {
                ipv6Networks[v6] = cidr.high;
                ipv6Masks[v6++] = cidr.maskHigh;
                ipv6Networks[v6] = cidr.low;
                ipv6Masks[v6++] = cidr.maskLow;
            }
        }
    }

    /** The networks given, in order, without duplicates. */
    public static CidrList of(List<Cidr> cidrs) {
        return new CidrList(new ArrayList<>(new LinkedHashSet<>(cidrs)));
    }

    /**
     * Parses each text with {@link Cidr#parse(String)}.
     *
     * @throws IllegalArgumentException naming the first entry that is not a CIDR
     */
    public static CidrList parse(List<String> texts) {
        List<Cidr> cidrs = new ArrayList<>(texts.size());
        for (String text : texts) {
            cidrs.add(Cidr.parse(text));
        }
        return of(cidrs);
    }

    /**
     * Parses a comma-separated list, such as the value of {@code KEYGATE_TRUSTED_PROXIES}; spaces
     * around entries are ignored, an empty entry is refused, a blank text is the empty list.
     */
    public static CidrList parseCommaSeparated(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        List<String> parts = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            parts.add(part.strip());
        }
        return parse(parts);
    }

    /** Whether {@code address} is in any of the networks. */
    public boolean contains(IpAddress address) {
        if (address.isIpv4()) {
            long low = address.low;
            for (int i = 0; i < ipv4Networks.length; i++) {
                if ((low & ipv4Masks[i]) == ipv4Networks[i]) {
                    return true;
                }
            }
            return false;
        }
        long high = address.high;
        long low = address.low;
        for (int i = 0; i < ipv6Networks.length; i += 2) {
            if ((high & ipv6Masks[i]) == ipv6Networks[i] && (low & ipv6Masks[i + 1]) == ipv6Networks[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** The networks, in the order given. */
    public List<Cidr> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CidrList that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
