package dev.keygate.server.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How every log and page writes a client's address, so that the request log and the audit log of
 * one client read the same: IPv6 in the canonical text of RFC 5952 ({@code ::1}, not
 * {@code 0:0:0:0:0:0:0:1}), an IPv4-mapped IPv6 address as the IPv4 address it carries, and
 * {@code -} when there is none.
 */
public final class ClientAddress {

    private ClientAddress() {}

    /** The address of the client that sent {@code request}. */
    public static String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null ? "-" : format(remote.hostAddress());
    }

    /**
     * {@code literal} (an IP address as text, never a host name: nothing is looked up) written the
     * one way; what is not an IP address literal is returned as it is.
     */
    public static String format(String literal) {
        if (literal == null || literal.isEmpty()) {
            return "-";
        }
        // Only IP literals are parsed (a colon cannot be in a host name), so no name is ever looked up.
        if (literal.indexOf(':') < 0 && !literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return literal;
        }
        try {
            // A literal is parsed, not resolved; an IPv4-mapped address comes back as an Inet4Address.
            InetAddress address = InetAddress.getByName(literal);
            return switch (address) {
                case Inet4Address v4 -> v4.getHostAddress();
                case Inet6Address v6 -> rfc5952(v6.getAddress());
                default -> literal;
            };
        } catch (UnknownHostException notAnAddress) {
            return literal;
        }
    }

    /** RFC 5952 section 4: lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
    private static String rfc5952(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
            i += length;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
