package dev.keygate.server.auth;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Finds the API key in a request (SPEC section 3, RFC 6750 section 2.1): only in
 * {@code Authorization: Bearer <key>}, the scheme case-insensitive, one or more spaces (SP, never a
 * tab) before the key, surrounding whitespace ignored. {@code Bearer<TAB>key} is another scheme, so
 * {@link Missing}. Cookies and the URL are never looked at for a key.
 *
 * <p>{@code resolve} never throws: every header value is one of the three results.
 */
final class BearerTokenResolver {

    /** What the request carries. */
    sealed interface Result {}

    /** No {@code Authorization} header, an empty one, or another scheme. */
    record Missing() implements Result {}

    /** More than one {@code Authorization} header. */
    record Duplicate() implements Result {}

    /** A bearer token; not yet checked. {@link #toString()} does not show it. */
    record Token(String value) implements Result {
        @Override
        public String toString() {
            return "Token[PROTECTED]";
        }
    }

    private static final String SCHEME = "bearer";

    private BearerTokenResolver() {}

    static Result resolve(MultiMap headers) {
        List<String> values = headers.getAll("Authorization");
        if (values.size() > 1) {
            return new Duplicate();
        }
        if (values.isEmpty()) {
            return new Missing();
        }
        String value = values.get(0).strip();
        if (value.length() <= SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return new Missing();
        }
        int start = SCHEME.length();
        if (value.charAt(start) != ' ') {
            return new Missing();
        }
        while (start < value.length() && value.charAt(start) == ' ') {
            start++;
        }
        // What follows the spaces is the token as sent, a tab included: the key format judges it.
        String token = value.substring(start);
        return token.isEmpty() ? new Missing() : new Token(token);
    }
}
