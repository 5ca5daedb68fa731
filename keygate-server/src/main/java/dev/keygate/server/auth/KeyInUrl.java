package dev.keygate.server.auth;

import dev.keygate.keyformat.KeyText;
import dev.keygate.server.http.UrlText;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Set;

/**
 * Keys in URLs (SPEC section 3): a URL is where logs, proxies and browser histories keep things,
 * so a request with a key-shaped string anywhere in its URL, or with a parameter named like a
 * key, is refused and nothing in it is used. Logs mask such paths ({@link dev.keygate.server.http.UrlText}).
 */
final class KeyInUrl {

    /** Query parameters whose presence alone refuses a request, whatever their value. */
    static final Set<String> KEY_PARAMETERS = Set.of("api_key", "access_token", "key");

    private KeyInUrl() {}

    /** Whether the request's URL holds a key or a key parameter. Reads the raw URI: never fails on bad encoding. */
    static boolean present(HttpServerRequest request) {
        String uri = request.uri();
        if (uri == null) {
            return false;
        }
        if (KeyText.contains(UrlText.decodeAscii(uri))) {
            return true;
        }
        int question = uri.indexOf('?');
        if (question < 0) {
            return false;
        }
        for (String pair : uri.substring(question + 1).split("[&;]")) {
            int equals = pair.indexOf('=');
            String name = UrlText.decodeAscii(equals < 0 ? pair : pair.substring(0, equals)).toLowerCase(Locale.ROOT);
            if (KEY_PARAMETERS.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
