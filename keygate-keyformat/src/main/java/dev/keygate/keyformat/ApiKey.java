package dev.keygate.keyformat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;

/**
 * An API key in the format of SPEC section 2, the one implementation of it:
 * {@code sk_test_} (or {@code sk_live_}, {@code pk_test_}, {@code pk_live_}, {@code rk_test_},
 * {@code rk_live_}), 32 random base62
 * characters, then a 6-character base62 CRC32 checksum of everything before it; 46 characters in all.
 *
 * <pre>{@code
 * ApiKey key = ApiKey.generate(KeyType.SECRET, Environment.TEST, secureRandom);
 * ApiKey same = ApiKey.parse(key.reveal());   // throws MalformedApiKeyException on a typo
 * }</pre>
 *
 * <p>{@link #toString()} is masked (prefix and last 4 characters); only {@link #reveal()} gives the
 * whole key, so that no key reaches a log or an exception message by accident.
 */
public final class ApiKey {

    /** Length of a key: 8 (prefix) + {@value #RANDOM_LENGTH} + {@value #CHECKSUM_LENGTH}. */
    public static final int LENGTH = 46;
    /** Length of the random part. */
    public static final int RANDOM_LENGTH = 32;
    /** Length of the checksum. */
    public static final int CHECKSUM_LENGTH = 6;
    static final int PREFIX_LENGTH = LENGTH - RANDOM_LENGTH - CHECKSUM_LENGTH;

    private final String value;
    private final KeyType type;
    private final Environment environment;

    private ApiKey(String value, KeyType type, Environment environment) {
        this.value = value;
        this.type = type;
        this.environment = environment;
    }

    /** A new key with {@value #RANDOM_LENGTH} random characters drawn from {@code random} (a {@code SecureRandom}). */
    public static ApiKey generate(KeyType type, Environment environment, RandomGenerator random) {
        String body = prefix(type, environment) + Base62.random(random, RANDOM_LENGTH);
        return new ApiKey(body + checksum(body), type, environment);
    }

    /**
     * Parses a presented key.
     *
     * @throws MalformedApiKeyException naming what is wrong (prefix, length, alphabet or
     *     checksum), never echoing the text
     */
    public static ApiKey parse(String text) {
        Object result = check(text);
        if (result instanceof ApiKey key) {
            return key;
        }
        throw new MalformedApiKeyException((Malformation) result);
    }

    /** Parses a presented key; empty when it is malformed. Cheap: no exception is built. */
    public static Optional<ApiKey> tryParse(String text) {
        Object result = check(text);
        return result instanceof ApiKey key ? Optional.of(key) : Optional.empty();
    }

    /** What is wrong with {@code text} as a key, or empty when it is a well-formed key. */
    public static Optional<Malformation> malformation(String text) {
        Object result = check(text);
        return result instanceof Malformation malformation ? Optional.of(malformation) : Optional.empty();
    }

    /** Either an {@link ApiKey} or the first {@link Malformation} found, in the order prefix, length, alphabet, checksum. */
    private static Object check(String text) {
        if (text == null || text.length() < PREFIX_LENGTH) {
            return Malformation.PREFIX;
        }
        KeyType type = typeOf(text);
        Environment environment = text.startsWith("test_", 3) ? Environment.TEST
                : text.startsWith("live_", 3) ? Environment.LIVE : null;
        if (type == null || environment == null) {
            return Malformation.PREFIX;
        }
        if (text.length() != LENGTH) {
            return Malformation.LENGTH;
        }
        // One branch after the loop, not one per character: the characters are random, so a branch on each mispredicts.
        boolean allDigits = true;
        for (int i = PREFIX_LENGTH; i < LENGTH; i++) {
            allDigits &= Base62.isDigit(text.charAt(i));
        }
        if (!allDigits) {
            return Malformation.ALPHABET;
        }
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.US_ASCII), 0, LENGTH - CHECKSUM_LENGTH);
        long value = crc.getValue();
        int difference = 0;
        for (int i = LENGTH - 1; i >= LENGTH - CHECKSUM_LENGTH; i--) {
            difference |= text.charAt(i) ^ Base62.ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        if (difference != 0) {
            return Malformation.CHECKSUM;
        }
        return new ApiKey(text, type, environment);
    }

    /** The type whose two letters and underscore start {@code text}, or null. */
    private static KeyType typeOf(String text) {
        if (text.charAt(1) != 'k' || text.charAt(2) != '_') {
            return null;
        }
        return switch (text.charAt(0)) {
            case 's' -> KeyType.SECRET;
            case 'p' -> KeyType.PUBLIC;
            case 'r' -> KeyType.RESTRICTED;
            default -> null;
        };
    }

    /** The checksum of SPEC section 2: CRC32 of the ASCII bytes of {@code body}, in 6 base62 digits. */
    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return Base62.encode(crc.getValue(), CHECKSUM_LENGTH);
    }

    /** The 8-character prefix of keys of this type and environment, such as {@code sk_test_}. */
    public static String prefix(KeyType type, Environment environment) {
        return type.prefix() + "_" + environment.label() + "_";
    }

    /**
     * The masked form of a key's text for messages: prefix and last 4 characters, such as
     * {@code sk_test_...Xa9Q}. Safe for any string: anything that does not have a key's prefix and
     * length comes out as {@code ...}, so that a mistyped key is never half shown.
     */
    public static String mask(String text) {
        if (text == null || text.length() != LENGTH || check(text) == Malformation.PREFIX) {
            return "...";
        }
        return text.substring(0, PREFIX_LENGTH) + "..." + text.substring(text.length() - 4);
    }

    public KeyType type() {
        return type;
    }

    public Environment environment() {
        return environment;
    }

    /** The last 4 characters (all of them checksum), enough to tell keys apart when masked. */
    public String last4() {
        return value.substring(LENGTH - 4);
    }

    /** Prefix and last 4 characters, such as {@code sk_test_...Xa9Q}. */
    public String masked() {
        return mask(value);
    }

    /** The whole key. Call it only to show the key once to its owner or to send it. */
    public String reveal() {
        return value;
    }

    /** The key as ASCII bytes, for digesting. */
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    /** Constant-time comparison. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKey that && MessageDigest.isEqual(bytes(), that.bytes());
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The masked key; never the whole key. */
    @Override
    public String toString() {
        return masked();
    }
}
