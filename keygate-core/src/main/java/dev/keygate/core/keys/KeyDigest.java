package dev.keygate.core.keys;

import dev.keygate.keyformat.ApiKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 digest of an API key: all the server ever keeps of a key, and what caches and the
 * store are keyed by. Equality is constant-time.
 */
public final class KeyDigest {

    private final byte[] bytes;
    private final int hash;

    private KeyDigest(byte[] bytes) {
        this.bytes = bytes;
        // SHA-256 output is uniform: its first four bytes are as good a hash as all 32.
        this.hash = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    /** The digest of {@code key}. */
    public static KeyDigest of(ApiKey key) {
        return new KeyDigest(SHA256.get().digest(key.bytes()));
    }

    /** One MessageDigest per thread: getInstance costs a provider lookup on every call. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    /** A digest read back from a store. */
    public static KeyDigest fromBytes(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
        }
        return new KeyDigest(bytes.clone());
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Lower-case hex of the 32 bytes, for stores that keep text. */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** A digest read back from its hex form. */
    public static KeyDigest fromHex(String hex) {
        return fromBytes(HexFormat.of().parseHex(hex));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyDigest that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "KeyDigest[PROTECTED]";
    }
}
