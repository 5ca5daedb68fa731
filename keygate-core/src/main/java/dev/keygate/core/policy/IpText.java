package dev.keygate.core.policy;

/** Strict parsing of IPv4 and IPv6 address text (RFC 4291 section 2.2), by hand: no name lookup ever. */
final class IpText {

    private IpText() {}

    /**
     * The 32 bits of the dotted quad in {@code text[from, to)}, or -1 when it is not exactly four
     * decimal octets of at most 255 without leading zeros.
     */
    static long ipv4(String text, int from, int to) {
        long value = 0;
        int octets = 0;
        int i = from;
        while (octets < 4) {
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | octet;
            octets++;
            if (octets < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? value : -1;
    }

    /**
     * The 128 bits of an IPv6 address as {high, low}, or null when {@code text} is not one: 1 to 4
     * hex digits per group, at most one {@code ::}, an optional dotted quad in the last 32 bits.
     */
    static long[] ipv6(String text) {
        int length = text.length();
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == length) {
                return new long[] {0, 0};
            }
        } else if (text.startsWith(":")) {
            return null;
        }
        while (i < length) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < length && i - start < 5 && Character.digit(text.charAt(i), 16) >= 0
                    && text.charAt(i) < 128) {
                value = (value << 4) | Character.digit(text.charAt(i), 16);
                i++;
            }
            if (i < length && text.charAt(i) == '.') {
                // A trailing dotted quad fills the last two groups.
                long v4 = count <= 6 ? ipv4(text, start, length) : -1;
                if (v4 < 0) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = length;
                break;
            }
            if (i == start || i - start > 4) {
                return null;
            }
            groups[count++] = value;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < length && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
            } else if (i == length) {
                return null;
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            System.arraycopy(groups, 0, full, 0, gap);
            int tail = count - gap;
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long high = 0;
        long low = 0;
        for (int g = 0; g < 4; g++) {
            high = (high << 16) | full[g];
            low = (low << 16) | full[g + 4];
        }
        return new long[] {high, low};
    }
}
