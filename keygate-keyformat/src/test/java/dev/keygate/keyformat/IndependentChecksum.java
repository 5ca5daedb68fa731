package dev.keygate.keyformat;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The checksum of SPEC section 2 written again for the tests, without {@link Base62} or
 * {@link ApiKey}, so that the tests can build keys whose only defect is the one under test.
 */
final class IndependentChecksum {

    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private IndependentChecksum() {}

    /** CRC32 of the ASCII bytes of {@code body} (non-ASCII chars become '?'). */
    static long crc32(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    /** The 6 base62 checksum characters of {@code body}. */
    static String of(String body) {
        long value = crc32(body);
        StringBuilder digits = new StringBuilder();
        while (value > 0) {
            digits.insert(0, ALPHABET.charAt((int) (value % 62)));
            value /= 62;
        }
        while (digits.length() < 6) {
            digits.insert(0, '0');
        }
        return digits.toString();
    }

    /** {@code body} followed by its checksum. */
    static String sealed(String body) {
        return body + of(body);
    }

    /** The value of base62 {@code digits}. */
    static long decode(String digits) {
        long value = 0;
        for (char c : digits.toCharArray()) {
            int d = ALPHABET.indexOf(c);
            if (d < 0) {
                throw new IllegalArgumentException("not a base62 digit");
            }
            value = value * 62 + d;
        }
        return value;
    }
}
