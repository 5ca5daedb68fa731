package dev.keygate.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the {@code for=} nodes of {@code Forwarded} (RFC 7239), left to right, strictly: a value
 * that does not follow the grammar is refused, never guessed at.
 */
final class ForwardedHeader {

    /** A hop whose address is not known: {@code unknown}, an obfuscated node, or no {@code for=}. */
    static final IpAddress UNIDENTIFIED = new IpAddress(false, -1, -1);

    private ForwardedHeader() {}

    /**
     * The {@code for=} node of each element of the header lines, in order; an unidentified hop
     * is {@link #UNIDENTIFIED}.
     *
     * @throws IllegalArgumentException saying what is malformed
     */
    static List<IpAddress> forNodes(List<String> lines) {
        List<IpAddress> nodes = new ArrayList<>();
        for (String line : lines) {
            new Reader(line).elements(nodes);
        }
        return nodes;
    }

    /** A cursor over one header line. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        void elements(List<IpAddress> nodes) {
            do {
                skipSpaces();
                nodes.add(element());
                skipSpaces();
            } while (consume(','));
            if (at != text.length()) {
                throw new IllegalArgumentException("Forwarded has an unexpected character");
            }
        }

        private IpAddress element() {
            IpAddress node = UNIDENTIFIED;
            List<String> names = new ArrayList<>(4);
            do {
                skipSpaces();
                String name = token().toLowerCase(Locale.ROOT);
                if (name.isEmpty() || !consume('=')) {
                    throw new IllegalArgumentException("Forwarded has a pair that is not name=value");
                }
                if (names.contains(name)) {
                    throw new IllegalArgumentException("Forwarded names " + name + " twice in one element");
                }
                names.add(name);
                String value = at < text.length() && text.charAt(at) == '"' ? quoted() : token();
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("Forwarded has an empty value");
                }
                if (name.equals("for")) {
                    node = node(value);
                }
                skipSpaces();
            } while (consume(';'));
            return node;
        }

        private String token() {
            int start = at;
            while (at < text.length() && isTchar(text.charAt(at))) {
                at++;
            }
            return text.substring(start, at);
        }

        private String quoted() {
            StringBuilder out = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (at == text.length()) {
                        break;
                    }
                    c = text.charAt(at++);
                }
                if (c < 0x20 && c != '\t' || c == 0x7F) {
                    throw new IllegalArgumentException("Forwarded has a control character");
                }
                out.append(c);
            }
            throw new IllegalArgumentException("Forwarded has an unterminated quoted string");
        }

        private boolean consume(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void skipSpaces() {
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
        }
    }

    /** A node of RFC 7239 section 6: nodename [":" node-port]. */
    static IpAddress node(String value) {
        String name = value;
        int portAt = -1;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Forwarded has an IPv6 node without its ]");
            }
            name = value.substring(1, close);
            if (close + 1 < value.length()) {
                if (value.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("Forwarded has text after an IPv6 node");
                }
                portAt = close + 2;
            }
            IpAddress address = IpAddress.parseOrNull(name);
            if (address == null || name.indexOf(':') < 0) {
                throw new IllegalArgumentException("Forwarded has a bracketed node that is not an IPv6 address");
            }
            checkPort(value, portAt);
            return address;
        }
        int colon = value.indexOf(':');
        if (colon >= 0) {
            name = value.substring(0, colon);
            portAt = colon + 1;
        }
        checkPort(value, portAt);
        if (name.equals("unknown") || isObfuscated(name)) {
            return UNIDENTIFIED;
        }
        IpAddress address = name.indexOf(':') < 0 ? IpAddress.parseOrNull(name) : null;
        if (address == null) {
            throw new IllegalArgumentException("Forwarded has a for= node that is not an address (IPv6 goes in \"[...]\")");
        }
        return address;
    }

    private static void checkPort(String value, int portAt) {
        if (portAt < 0) {
            return;
        }
        String port = value.substring(portAt);
        boolean digits = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits && !isObfuscated(port)) {
            throw new IllegalArgumentException("Forwarded has a node port that is not a port");
        }
    }

    /** obfnode / obfport: "_" 1*(ALPHA / DIGIT / "." / "_" / "-"). */
    private static boolean isObfuscated(String text) {
        if (text.length() < 2 || text.charAt(0) != '_') {
            return false;
        }
        return text.chars().skip(1).allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_'
                || c == '-'));
    }

    /** tchar of RFC 9110 section 5.6.2. */
    private static boolean isTchar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }
}
