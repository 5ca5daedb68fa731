package dev.keygate.core.policy;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code X-Forwarded-For}: addresses separated by commas, strictly (no ports, brackets, names or empty entries). */
final class XForwardedForHeader {

    private XForwardedForHeader() {}

    /**
     * The addresses of the header lines, in order.
     *
     * @throws IllegalArgumentException saying what is malformed
     */
    static List<IpAddress> addresses(List<String> lines) {
        List<IpAddress> addresses = new ArrayList<>();
        for (String line : lines) {
            for (String entry : line.split(",", -1)) {
                String text = entry.strip();
                IpAddress address = IpAddress.parseOrNull(text);
                if (address == null) {
                    throw new IllegalArgumentException(text.isEmpty() ? "X-Forwarded-For has an empty entry"
                            : "X-Forwarded-For has an entry that is not an IP address");
                }
                addresses.add(address);
            }
        }
        return addresses;
    }
}
