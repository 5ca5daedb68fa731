package dev.keygate.server;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keys in URLs (SPEC section 3): a URL is where logs, proxies and browser histories keep things,
 * so a request with a key-shaped string anywhere in its URL, or with a parameter named like a
 * key, is refused and nothing in it is used; and logged paths are masked.
 */
final class KeyInUrl {

    /** Query parameters whose presence alone refuses a request, whatever their value. */
    static final Set<String> KEY_PARAMETERS = Set.of("api_key", "access_token", "key");

    /** A key prefix followed by enough key characters to be (part of) a key. */
    private static final Pattern KEY_SHAPED = Pattern.compile("[sp]k_(?:test|live)_[0-9A-Za-z]{8,}");
    /** The escape of an ASCII character, the only ones a key can be written with. */
    private static final Pattern ASCII_ESCAPE = Pattern.compile("%([0-7][0-9A-Fa-f])");
    /** Escapes of escapes ({@code %255F}) are decoded this many times over, as a chain of proxies might. */
    private static final int DECODINGS = 3;

    private KeyInUrl() {}

    /** Whether the request's URL holds a key or a key parameter. Reads the raw URI: never fails on bad encoding. */
    static boolean present(HttpServerRequest request) {
        String uri = request.uri();
        if (uri == null) {
            return false;
        }
        String decoded = decodeAscii(uri);
        if (decoded.contains("k_") && KEY_SHAPED.matcher(decoded).find()) { // every key shape holds "k_"
            return true;
        }
        int question = uri.indexOf('?');
        if (question < 0) {
            return false;
        }
        for (String pair : uri.substring(question + 1).split("[&;]")) {
            int equals = pair.indexOf('=');
            String name = decodeAscii(equals < 0 ? pair : pair.substring(0, equals)).toLowerCase(Locale.ROOT);
            if (KEY_PARAMETERS.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with every key-shaped part masked to its prefix. */
    static String mask(String text) {
        return KEY_SHAPED.matcher(text).replaceAll(match -> match.group().substring(0, 8) + "...");
    }

    /**
     * {@code text} with its escapes of ASCII characters decoded; other escapes, and malformed ones
     * such as {@code %zz}, stay as they are. Unlike {@code URLDecoder} and Netty's decoders, which
     * refuse a malformed escape, this never fails: one bad escape must not hide a key elsewhere.
     */
    static String decodeAscii(String text) {
        String decoded = text;
        for (int round = 0; round < DECODINGS && decoded.indexOf('%') >= 0; round++) {
            String next = ASCII_ESCAPE.matcher(decoded).replaceAll(escape -> Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(escape.group(1), 16))));
            if (next.equals(decoded)) {
                break;
            }
            decoded = next;
        }
        return decoded;
    }
}
