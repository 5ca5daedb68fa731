package dev.keygate.core.policy;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 192.0.2.0/24} or {@code 2001:db8::/32};
 * a bare address is a single-address network ({@code /32} or {@code /128}). Parsed strictly: a
 * prefix longer than the address, a zone id, bits set after the prefix or anything else that is
 * not an address is refused. An IPv4-mapped IPv6 network of prefix 96 or more
 * ({@code ::ffff:192.0.2.0/120}) is the IPv4 network it maps.
 *
 * <pre>{@code
 * Cidr office = Cidr.parse("192.0.2.0/24");
 * office.contains(IpAddress.parse("192.0.2.7").orElseThrow());   // true
 * }</pre>
 */
public final class Cidr {

    private final boolean ipv4;
    private final int prefix;
    final long high;
    final long low;
    final long maskHigh;
    final long maskLow;

    private Cidr(boolean ipv4, int prefix, long high, long low) {
        this.ipv4 = ipv4;
        this.prefix = prefix;
        this.high = high;
        this.low = low;
        int bits = ipv4 ? 32 : 128;
        int hostBits = bits - prefix;
        if (ipv4) {
            this.maskHigh = 0;
            this.maskLow = prefix == 0 ? 0 : (0xFFFF_FFFFL << hostBits) & 0xFFFF_FFFFL;
        } else {
            this.maskHigh = prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
            this.maskLow = prefix <= 64 ? 0 : -1L << (128 - prefix);
        }
    }

    /**
     * Parses {@code address/prefix} or a bare address.
     *
     * @throws IllegalArgumentException saying what is wrong, naming the text (an address is no secret)
     */
    public static Cidr parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("an empty CIDR");
        }
        if (text.length() > 49 || text.indexOf('%') >= 0) {
            throw new IllegalArgumentException(text.indexOf('%') >= 0
                    ? "a CIDR has no zone id (the part after %)" : "not a CIDR: it is too long");
        }
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        IpAddress address = IpAddress.parseOrNull(addressText);
        if (address == null) {
            throw new IllegalArgumentException(quoted(text) + " is not an IPv4 or IPv6 address or CIDR");
        }
        boolean mapped = address.isIpv4() && addressText.indexOf(':') >= 0;
        int bits = address.isIpv4() && !mapped ? 32 : 128;
        int prefix = slash < 0 ? bits : prefix(text, slash + 1, bits);
        if (mapped) {
            if (prefix < 96) {
                throw new IllegalArgumentException(quoted(text) + ": an IPv4-mapped network needs a prefix of 96 or more");
            }
            prefix -= 96;
        }
        Cidr cidr = new Cidr(address.isIpv4(), prefix, address.high, address.low);
        if ((address.high & ~cidr.maskHigh) != 0 || (address.low & ~cidr.maskLow) != 0) {
            throw new IllegalArgumentException(quoted(text) + " has address bits set after its prefix");
        }
        return cidr;
    }

    private static int prefix(String text, int from, int bits) {
        int length = text.length() - from;
        boolean digits = length >= 1 && length <= 3 && text.chars().skip(from).allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (length > 1 && text.charAt(from) == '0')) {
            throw new IllegalArgumentException(quoted(text) + " has no valid prefix length after /");
        }
        int prefix = Integer.parseInt(text, from, text.length(), 10);
        if (prefix > bits) {
            throw new IllegalArgumentException(quoted(text) + ": the prefix length is at most " + bits);
        }
        return prefix;
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** Whether {@code address} is in this network. Allocates nothing. */
    public boolean contains(IpAddress address) {
        return address.isIpv4() == ipv4 && (address.high & maskHigh) == high && (address.low & maskLow) == low;
    }

    /** Whether this is an IPv4 network. */
    public boolean isIpv4() {
        return ipv4;
    }

    /** The prefix length, 0 to 32 for IPv4, 0 to 128 for IPv6. */
    public int prefixLength() {
        return prefix;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && ipv4 == that.ipv4 && prefix == that.prefix && high == that.high
                && low == that.low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) * 31 + prefix;
    }

    /** The network in CIDR notation, such as {@code 192.0.2.0/24}. */
    @Override
    public String toString() {
        return new IpAddress(ipv4, high, low) + "/" + prefix;
    }
}
