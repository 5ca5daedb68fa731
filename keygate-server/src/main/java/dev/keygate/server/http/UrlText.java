package dev.keygate.server.http;

import dev.keygate.keyformat.KeyText;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** URL text as checks and logs read it: escapes of ASCII decoded, keys and checkout tokens masked. */
public final class UrlText {

    /** The escape of an ASCII character, the only ones a key can be written with. */
    private static final Pattern ASCII_ESCAPE = Pattern.compile("%([0-7][0-9A-Fa-f])");
    /** Escapes of escapes ({@code %255F}) are decoded this many times over, as a chain of proxies might. */
    private static final int DECODINGS = 3;
    /** A checkout page's token: whoever has it can complete the payment, so logs never hold it. */
    private static final Pattern CHECKOUT_TOKEN = Pattern.compile("cs_(test|live)_[0-9A-Za-z]+");
    private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cntrl}\\s]");
    /** Longest path a log line or an error detail shows. */
    private static final int MAX_SHOWN = 200;
    /** Longest name (of a query parameter or a body field) an error detail shows. */
    private static final int MAX_NAME_SHOWN = 60;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private UrlText() {}

    /**
     * {@code text} with its escapes of ASCII characters decoded; other escapes, and malformed ones
     * such as {@code %zz}, stay as they are. Unlike {@code URLDecoder} and Netty's decoders, which
     * refuse a malformed escape, this never fails: one bad escape must not hide a key elsewhere.
     */
    public static String decodeAscii(String text) {
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

    /** The path as a log may hold it: keys and checkout tokens masked, control characters replaced, length capped. */
    public static String printablePath(String path) {
        if (path == null) {
            return "-";
        }
        // Masked as routes read it, escapes decoded (sk%5Ftest_… is a key too); shown as sent when
        // there is nothing to mask. The patterns run only where there can be something to mask:
        // this is on every request.
        String decoded = decodeAscii(path);
        String masked = KeyText.mask(decoded);
        masked = masked.contains("cs_") ? CHECKOUT_TOKEN.matcher(masked).replaceAll("cs_$1_...") : masked;
        String shown = masked.equals(decoded) ? path : masked;
        String cut = shown.length() > MAX_SHOWN ? shown.substring(0, MAX_SHOWN) + "..." : shown;
        return UNPRINTABLE.matcher(cut).replaceAll("?");
    }

    /**
     * A name the client sent (query parameter, body field) as an error may show it: keys masked,
     * control characters replaced, length capped; never empty.
     */
    public static String printableName(String name) {
        if (name == null || name.isEmpty()) {
            return "(empty name)";
        }
        String masked = CONTROL.matcher(KeyText.mask(name)).replaceAll("?");
        return masked.length() > MAX_NAME_SHOWN ? masked.substring(0, MAX_NAME_SHOWN) + "..." : masked;
    }
}
