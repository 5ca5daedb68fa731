package dev.keygate.client;

import dev.keygate.keyformat.ApiKey;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks anything that looks like an API key in text the SDK did not write itself (the server's
 * messages), so that no key reaches an exception message or a log line even if a server echoed one.
 * A key becomes its prefix and last 4 characters ({@link ApiKey#mask}); a key-like run of another
 * length keeps only its prefix.
 */
final class Redaction {

    private static final Pattern KEY_LIKE =
            Pattern.compile("(?<![0-9A-Za-z])[sp]k_(?:test|live)_[0-9A-Za-z]{8,}");

    private Redaction() {}

    static String redact(String text) {
        if (text == null || text.indexOf("k_") < 0) {
            return text;
        }
        Matcher matcher = KEY_LIKE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String token = matcher.group();
            String masked = token.length() == ApiKey.LENGTH ? ApiKey.mask(token) : token.substring(0, 8) + "...";
            matcher.appendReplacement(out, Matcher.quoteReplacement(masked));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
