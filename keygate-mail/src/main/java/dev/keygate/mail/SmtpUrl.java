package dev.keygate.mail;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The parts of an {@code smtp://user:pass@host:port} or {@code smtps://…} URL (SPEC section 10).
 * Error messages and {@link #toString()} never hold the password, nor the URL as given.
 */
record SmtpUrl(String protocol, String host, int port, String user, String password) {

    static final int DEFAULT_SMTP_PORT = 25;
    static final int DEFAULT_SMTPS_PORT = 465;

    private static final String SHAPE = "must look like smtp://[user[:password]@]host[:port] or smtps://…";

    /** Parses a configuration value; unlike {@link URI#create}, the exception does not echo the value. */
    static URI toUri(String value) {
        Objects.requireNonNull(value, "value");
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            // The reason and index alone: URISyntaxException.getMessage() quotes the whole input.
            throw new IllegalArgumentException(
                    "SMTP URL " + SHAPE + "; it is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        parse(uri);
        return uri;
    }

    static SmtpUrl parse(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
            throw invalid("the scheme is not smtp or smtps");
        }
        if (uri.isOpaque() || uri.getHost() == null) {
            // A registry-based authority (say a raw '@' in the password) has no host either.
            throw invalid("it has no host, or characters such as @ : / in the user or password are not %-encoded");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("a path, query or fragment is not supported");
        }
        int port = uri.getPort();
        if (port == -1) {
            port = scheme.equals("smtps") ? DEFAULT_SMTPS_PORT : DEFAULT_SMTP_PORT;
        } else if (port < 1 || port > 65_535) {
            throw invalid("the port is not between 1 and 65535");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            // Split before decoding, so that a %3A in the user name is not taken for the separator.
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
            if (user.isEmpty()) {
                throw invalid("it has a password but no user");
            }
        }
        return new SmtpUrl(scheme, uri.getHost(), port, user, password);
    }

    boolean hasCredentials() {
        return user != null;
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        String credentials = user == null ? "" : user + (password.isEmpty() ? "" : ":****") + "@";
        return protocol + "://" + credentials + address();
    }

    private static String decode(String raw) {
        // URLDecoder decodes form encoding, where '+' means space; in a URL's user info it is a plus.
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("the user or password has a broken %-escape");
        }
    }

    private static IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("SMTP URL " + SHAPE + "; " + problem);
    }
}
