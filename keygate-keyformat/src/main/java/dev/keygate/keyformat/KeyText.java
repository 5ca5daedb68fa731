package dev.keygate.keyformat;

import java.util.regex.Pattern;

/**
 * Finds key-shaped text inside longer text (a URL, a log line), so that it can be refused or
 * masked. A match need not be a valid key: anything that looks like (a part of) one counts.
 */
public final class KeyText {

    /** A key prefix followed by enough key characters to be (part of) a key. */
    private static final Pattern KEY_SHAPED = Pattern.compile("[spr]k_(?:test|live)_[0-9A-Za-z]{8,}");

    private KeyText() {}

    /** Whether {@code text} holds something shaped like a key. */
    public static boolean contains(String text) {
        // Every key prefix holds "k_": the pattern runs only where there can be a key.
        return text.contains("k_") && KEY_SHAPED.matcher(text).find();
    }

    /** {@code text} with every key-shaped part masked to its prefix, such as {@code sk_test_...}. */
    public static String mask(String text) {
        if (!text.contains("k_")) {
            return text;
        }
        return KEY_SHAPED.matcher(text).replaceAll(match -> match.group().substring(0, ApiKey.PREFIX_LENGTH) + "...");
    }
}
