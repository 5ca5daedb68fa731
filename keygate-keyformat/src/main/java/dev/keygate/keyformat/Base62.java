package dev.keygate.keyformat;

import java.util.random.RandomGenerator;

/**
 * Base62 with the alphabet {@code 0-9A-Za-z} (digit value = position), as SPEC section 2 uses it
 * for key checksums, random key bodies and object ids.
 */
public final class Base62 {

    /** The 62 digits, in order of value. */
    public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Base62() {}

    /** Whether {@code c} is one of the 62 digits. */
    public static boolean isDigit(char c) {
        return c < 128 && DIGITS[c];
    }

    /** Which ASCII characters are digits: a table, because key characters are random and branches on them mispredict. */
    private static final boolean[] DIGITS = new boolean[128];

    static {
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGITS[ALPHABET.charAt(i)] = true;
        }
    }

    /**
     * Writes {@code value} (not negative) most significant digit first, left-padded with {@code 0}
     * to {@code width} digits.
     *
     * @throws IllegalArgumentException if the value is negative, the width below 1, or the value needs more than {@code width} digits
     */
    public static String encode(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value");
        }
        if (width < 1) {
            throw new IllegalArgumentException("width must be at least 1");
        }
        char[] out = new char[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (rest % 62));
            rest /= 62;
        }
        if (rest != 0) {
            throw new IllegalArgumentException("value needs more than " + width + " digits");
        }
        return new String(out);
    }

    /**
     * {@code length} uniformly random digits drawn from {@code random} (pass a {@code SecureRandom}
     * for anything secret).
     */
    public static String random(RandomGenerator random, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET.charAt(random.nextInt(62));
        }
        return new String(out);
    }
}
