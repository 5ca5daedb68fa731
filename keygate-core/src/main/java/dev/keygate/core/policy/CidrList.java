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
    private final Cidr[] array;

    private CidrList(List<Cidr> entries) {
        this.entries = List.copyOf(entries);
        this.array = this.entries.toArray(Cidr[]::new);
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
        for (Cidr cidr : array) {
            if (cidr.contains(address)) {
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
        return array.length;
    }

    public boolean isEmpty() {
        return array.length == 0;
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
