package dev.keygate.core.policy;

import java.util.Optional;

/**
 * An IPv4 or IPv6 address parsed strictly from its text, with no name lookup: dotted-quad IPv4
 * without leading zeros, and IPv6 as RFC 4291 section 2.2 writes it (no zone id, no brackets). An
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is the IPv4 address it maps, so that it
 * matches IPv4 entries of an allowlist.
 *
 * <pre>{@code
 * IpAddress peer = IpAddress.parse("2001:db8::17").orElseThrow();
 * }</pre>
 */
public final class IpAddress {

    private final boolean ipv4;
    /** The high 64 bits of an IPv6 address; 0 for IPv4. */
    final long high;
    /** The low 64 bits of an IPv6 address, or the 32 bits of an IPv4 address. */
    final long low;

    IpAddress(boolean ipv4, long high, long low) {
        this.ipv4 = ipv4;
        this.high = high;
        this.low = low;
    }

    /** The address {@code text} writes, or empty when it is not an address literal. */
    public static Optional<IpAddress> parse(String text) {
        return Optional.ofNullable(parseOrNull(text));
    }

    /** Like {@link #parse(String)}, without the {@code Optional}: null when not an address. */
    static IpAddress parseOrNull(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            long v4 = IpText.ipv4(text, 0, text.length());
            return v4 < 0 ? null : new IpAddress(true, 0, v4);
        }
        long[] v6 = IpText.ipv6(text);
        if (v6 == null) {
            return null;
        }
        if (v6[0] == 0 && (v6[1] >>> 32) == 0xFFFFL) {
            return new IpAddress(true, 0, v6[1] & 0xFFFF_FFFFL);
        }
        return new IpAddress(false, v6[0], v6[1]);
    }

    /** Whether this is an IPv4 address (also when it was written IPv4-mapped). */
    public boolean isIpv4() {
        return ipv4;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpAddress that && ipv4 == that.ipv4 && high == that.high && low == that.low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) ^ (ipv4 ? 1 : 0);
    }

    /** The address in dotted-quad form, or in full hexadecimal groups for IPv6. */
    @Override
    public String toString() {
        if (ipv4) {
            return (low >>> 24) + "." + ((low >>> 16) & 0xFF) + "." + ((low >>> 8) & 0xFF) + "." + (low & 0xFF);
        }
        StringBuilder out = new StringBuilder(39);
        for (int group = 0; group < 8; group++) {
            long half = group < 4 ? high : low;
            int shift = 48 - 16 * (group % 4);
            if (group > 0) {
                out.append(':');
            }
            out.append(Long.toHexString((half >>> shift) & 0xFFFF));
        }
        return out.toString();
    }
}
