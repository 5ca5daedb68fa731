package dev.keygate.server;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Set;
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

    private KeyInUrl() {}

    /** Whether the request's URL holds a key or a key parameter. Reads the raw URI: never fails on bad encoding. */
    static boolean present(HttpServerRequest request) {
        String uri = request.uri();
        if (uri == null) {
            return false;
        }
        if (uri.contains("k_") && KEY_SHAPED.matcher(uri).find()) { // every key shape holds "k_"
            return true;
        }
        int question = uri.indexOf('?');
        if (question < 0) {
            return false;
        }
        for (String pair : uri.substring(question + 1).split("[&;]")) {
            int equals = pair.indexOf('=');
            String name = (equals < 0 ? pair : pair.substring(0, equals)).toLowerCase(Locale.ROOT);
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
}
